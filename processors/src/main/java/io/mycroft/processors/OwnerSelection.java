package io.mycroft.processors;

import mycroft.schemas.ClassSubset;

import java.util.List;

/** One owner's useful subset for one request, as a {@link mycroft.schemas.SubsetUpdate} carries it: per class, then the score. */
public record OwnerSelection(List<ClassSubset> classes, double score) {
}
