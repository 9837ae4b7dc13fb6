/* The words of a command line, with the shell's quoting and nothing else
 * of the shell's (include/invadj/words.h).  Pure: fuzzed on its own. */
#include "invadj/words.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

words_error words_split(char *line, char **argv, size_t max, size_t *n)
{
	/* Unquoting only ever shortens a word, so each word is written over
	 * the text it came from: to <= from throughout. */
	char *from = line, *to = line;
	*n = 0;
	for (;;) {
		while (is_blank(*from))
			from++;
		if (!*from)
			return WORDS_OK;
		if (*n == max)
			return WORDS_TOO_MANY;
		char *word = to;
		while (*from && !is_blank(*from)) {
			char c = *from++;
			if (c == '\\') {
				if (!*from)
					return WORDS_TRAILING_BACKSLASH;
				*to++ = *from++;
			} else if (c == '\'') {
				while (*from && *from != '\'')
					*to++ = *from++;
				if (!*from)
					return WORDS_UNCLOSED_QUOTE;
				from++;
			} else if (c == '"') {
				while (*from && *from != '"') {
					if (*from == '\\' && (from[1] == '"' || from[1] == '\\'))
						from++;
					*to++ = *from++;
				}
				if (!*from)
					return WORDS_UNCLOSED_QUOTE;
				from++;
			} else {
				*to++ = c;
			}
		}
		/* The word's end may be where a blank was read, or the line's
		 * end: either way at or before from, so nothing unread is lost. */
		bool at_end = !*from;
		*to = '\0';
		argv[(*n)++] = word;
		if (at_end)
			return WORDS_OK;
		to++;
		from++; /* the blank after the word */
	}
}

const char *words_error_text(words_error e)
{
	switch (e) {
	case WORDS_OK: return "is fine";
	case WORDS_UNCLOSED_QUOTE: return "has a quote that is not closed";
	case WORDS_TRAILING_BACKSLASH: return "ends with a backslash";
	case WORDS_TOO_MANY: return "has too many words";
	}
	return "cannot be read";
}

bool words_is_comment(const char *line)
{
	while (is_blank(*line))
		line++;
	return !*line || *line == '#';
}
