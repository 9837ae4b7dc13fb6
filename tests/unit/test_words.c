/* Unit tests of the word splitter of invadj batch (include/invadj/words.h):
 * the shell's quoting, and nothing else of the shell's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "invadj/words.h"

/* Splits text and compares the words, joined by '|', with want. */
static void expect_words(const char *text, const char *want)
{
	char line[256], *argv[16], got[512] = "";
	snprintf(line, sizeof line, "%s", text);
	size_t n;
	words_error e = words_split(line, argv, 16, &n);
	if (e != WORDS_OK)
		fail_msg("words_split(%s) = %s", text, words_error_text(e));
	for (size_t k = 0; k < n; k++) {
		strcat(got, k ? "|" : "");
		strcat(got, argv[k]);
	}
	if (strcmp(got, want) != 0)
		fail_msg("words_split(%s) = [%s]; want [%s]", text, got, want);
}

static void expect_error(const char *text, words_error want, size_t max)
{
	char line[256], *argv[16];
	snprintf(line, sizeof line, "%s", text);
	size_t n;
	words_error e = words_split(line, argv, max, &n);
	if (e != want)
		fail_msg("words_split(%s) = %d; want %d", text, (int)e, (int)want);
}

static void test_blanks_separate(void **state)
{
	(void)state;
	expect_words("adjust --store MAIN", "adjust|--store|MAIN");
	expect_words("  \tadjust\t \t--diff   -2  ", "adjust|--diff|-2");
	expect_words("", "");
	expect_words(" \t ", "");
}

static void test_quotes(void **state)
{
	(void)state;
	expect_words("--memo 'shelf 3, top'", "--memo|shelf 3, top");
	expect_words("--memo \"shelf 3\"", "--memo|shelf 3");
	expect_words("'a \"b\" \\c'", "a \"b\" \\c");              /* nothing special in '...' */
	expect_words("\"a \\\"b\\\" \\\\c \\d\"", "a \"b\" \\c \\d"); /* \" and \\ in "..." only */
	expect_words("a'b c'd\"e f\"g", "ab cde fg");             /* parts make one word */
	expect_words("'' \"\" x", "||x");                           /* empty words */
	expect_words("'it'\\''s'", "it's");
}

static void test_backslash(void **state)
{
	(void)state;
	expect_words("a\\ b c", "a b|c");
	expect_words("\\'x\\' \\\"y\\\" \\\\", "'x'|\"y\"|\\");
	expect_words("\\#1", "#1");
}

static void test_nothing_else_is_special(void **state)
{
	(void)state;
	expect_words("$HOME ~ * ? [a] ; | > < & $(id) `id` #x", "$HOME|~|*|?|[a]|;|||>|<|&|$(id)|`id`|#x");
	expect_words("\"$HOME `id` $(id)\"", "$HOME `id` $(id)");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("balance --store \"MAIN", WORDS_UNCLOSED_QUOTE, 16);
	expect_error("'abc", WORDS_UNCLOSED_QUOTE, 16);
	expect_error("\"a\\\"", WORDS_UNCLOSED_QUOTE, 16);
	expect_error("abc\\", WORDS_TRAILING_BACKSLASH, 16);
	expect_error("a b c", WORDS_TOO_MANY, 2);
	expect_error("a b", WORDS_OK, 2);
	expect_error("a b  ", WORDS_OK, 2);
	assert_string_equal(words_error_text(WORDS_UNCLOSED_QUOTE), "has a quote that is not closed");
	assert_string_equal(words_error_text(WORDS_TRAILING_BACKSLASH), "ends with a backslash");
}

static void test_comments(void **state)
{
	(void)state;
	assert_true(words_is_comment(""));
	assert_true(words_is_comment(" \t"));
	assert_true(words_is_comment("# note"));
	assert_true(words_is_comment("   #adjust"));
	assert_false(words_is_comment("adjust # not a comment"));
	assert_false(words_is_comment("\\# no"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blanks_separate), cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_backslash),       cmocka_unit_test(test_nothing_else_is_special),
		cmocka_unit_test(test_errors),          cmocka_unit_test(test_comments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
