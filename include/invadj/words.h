/* A command line as `invadj batch` reads it from a script: words, with
 * quoting as in the shell but nothing else of the shell's (no variables,
 * patterns, ~, redirections, ; or |): what a line says is what runs.
 *
 *   - blanks (spaces and tabs) separate words;
 *   - 'single quotes' keep everything up to the next ' as it is;
 *   - "double quotes" too, except that \" and \\ stand for " and \;
 *   - outside quotes, \ keeps the next character as it is (\ , \', \#);
 *   - quoted parts and plain parts next to each other make one word,
 *     and "" or '' is an empty word.
 * A # is an ordinary character (a whole line of comment is the caller's
 * business: words_is_comment). */
#ifndef INVADJ_WORDS_H
#define INVADJ_WORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum words_error {
	WORDS_OK = 0,
	WORDS_UNCLOSED_QUOTE,     /* a ' or " without its closing one */
	WORDS_TRAILING_BACKSLASH, /* a \ at the end of the line */
	WORDS_TOO_MANY,           /* more words than the caller has room for */
} words_error;

/* Splits line (a string without its newline) in place: the words are
 * written over the line, each ended by '\0', and argv[0..*n-1] point
 * at them.  On an error *n is the count of complete words so far. */
words_error words_split(char *line, char **argv, size_t max, size_t *n);

/* The reason in words, e.g. "has a quote that is not closed". */
const char *words_error_text(words_error e);

/* A line with nothing to run: empty, blanks, or a # as its first
 * non-blank character. */
bool words_is_comment(const char *line);

#endif
