/* The libFuzzer entry point every tests/fuzz/fuzz_*.c defines.  Built
 * either with -fsanitize=fuzzer (`make fuzz`) or with replay_main.c as
 * a plain driver that feeds saved inputs (`make test-fuzz-replay`). */
#ifndef INVADJ_FUZZ_H
#define INVADJ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed property: print it and abort, so that both libFuzzer and the
 * replay driver report the input as a crash. */
#define FUZZ_CHECK(cond)                                                        \
	do {                                                                        \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, \
			        #cond);                                                     \
			abort();                                                            \
		}                                                                       \
	} while (0)

#endif
