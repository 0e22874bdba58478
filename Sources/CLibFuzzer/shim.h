#ifndef DEBRIEF_CLIBFUZZER_SHIM_H
#define DEBRIEF_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for programs that keep their own `main` (compiler-rt, `FuzzerInterface.h`).
///
/// Declared only: the definition comes from the libFuzzer runtime that `-sanitize=fuzzer` links, and only a
/// fuzz build (`-DFUZZING`) calls it. A plain build never references the symbol.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
