// libFuzzer's entry for programs with a main of their own (LLVM 11 and later): it parses the libFuzzer
// command line and calls `callback` with each input. Linked in by `-sanitize=fuzzer`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
