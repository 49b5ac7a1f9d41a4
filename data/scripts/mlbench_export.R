#!/usr/bin/env Rscript
# Exports UCI LetterRecognition (all 20,000 rows) and Shuttle (a seeded stratified subsample) from Debian's
# r-cran-mlbench as gzip'd CSV: a header, the feature columns, then `label` (the class as text).
# Run from anywhere: Rscript data/scripts/mlbench_export.R  (installs r-cran-mlbench with apt-get if missing).
if (!requireNamespace("mlbench", quietly = TRUE)) {
  status <- system2("apt-get", c("install", "-y", "r-cran-mlbench"))
  if (status != 0) stop("apt-get install r-cran-mlbench failed")
}
suppressPackageStartupMessages(library(mlbench))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out <- normalizePath(file.path(dirname(script), ".."))

write_gz <- function(frame, name) {
  path <- file.path(out, name)
  # gzip via a connection has a zero mtime in R's zlib header, so re-runs give identical bytes
  con <- gzfile(path, "w", compression = 9)
  write.csv(frame, con, row.names = FALSE, quote = FALSE)
  close(con)
  cat(name, ":", nrow(frame), "rows x", ncol(frame) - 1, "features\n")
}

data(LetterRecognition)
letter <- LetterRecognition[, c(2:17, 1)]
names(letter)[17] <- "label"
letter$label <- as.character(letter$label)
write_gz(letter, "letter.csv.gz")

# Shuttle: 58,000 rows, 7 classes, 80% class Rad.Flow. Keep every row of the small classes and a seeded sample of
# the rest, up to SHUTTLE_PER_CLASS per class, in original row order.
data(Shuttle)
SHUTTLE_PER_CLASS <- 2000
set.seed(20260101, kind = "Mersenne-Twister", normal.kind = "Inversion", sample.kind = "Rejection")
keep <- sort(unlist(lapply(split(seq_len(nrow(Shuttle)), Shuttle$Class), function(rows) {
  if (length(rows) <= SHUTTLE_PER_CLASS) rows else sample(rows, SHUTTLE_PER_CLASS)
})))
shuttle <- Shuttle[keep, ]
names(shuttle)[names(shuttle) == "Class"] <- "label"
shuttle$label <- gsub("[^A-Za-z0-9]", "", as.character(shuttle$label))
write_gz(shuttle, "shuttle.csv.gz")
