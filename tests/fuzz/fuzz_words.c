/* Fuzzes words_split, the word splitter of `invadj batch`, with
 * arbitrary lines.  Whatever the line, it must not read or write out of
 * bounds; and when it is accepted, its words, quoted again ('...' with
 * each ' spelt '\'') and joined by blanks, must split back into the very
 * same words: what a script's line says is exactly what runs. */
#include <stdlib.h>
#include <string.h>

#include "invadj/words.h"
#include "fuzz.h"

#define MAX_LINE 512
#define MAX_WORDS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_LINE || memchr(data, '\0', size))
		return 0;
	char line[MAX_LINE + 1];
	memcpy(line, data, size);
	line[size] = '\0';
	char *argv[MAX_WORDS];
	size_t n = 99;
	words_error e = words_split(line, argv, MAX_WORDS, &n);
	FUZZ_CHECK(n <= MAX_WORDS);
	FUZZ_CHECK(words_error_text(e)[0] != '\0');
	if (e != WORDS_OK)
		return 0;
	/* Quote every word again (at most 4 bytes a byte, plus quotes and a
	 * blank) and split the result. */
	static char again[MAX_WORDS * 4 + MAX_LINE * 4 + 1];
	size_t k = 0;
	for (size_t w = 0; w < n; w++) {
		FUZZ_CHECK(argv[w] >= line && argv[w] + strlen(argv[w]) <= line + size);
		again[k++] = '\'';
		for (const char *p = argv[w]; *p; p++) {
			if (*p == '\'') {
				memcpy(again + k, "'\\''", 4);
				k += 4;
			} else {
				again[k++] = *p;
			}
		}
		again[k++] = '\'';
		again[k++] = ' ';
	}
	again[k] = '\0';
	char *argv2[MAX_WORDS];
	size_t n2 = 0;
	FUZZ_CHECK(words_split(again, argv2, MAX_WORDS, &n2) == WORDS_OK);
	FUZZ_CHECK(n2 == n);
	for (size_t w = 0; w < n; w++)
		FUZZ_CHECK(strcmp(argv[w], argv2[w]) == 0);
	return 0;
}
