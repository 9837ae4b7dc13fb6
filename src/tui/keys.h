/* One integer per key press: characters as their code point, curses
 * function keys (KEY_F(1), KEY_UP, ...) moved above Unicode so that the
 * two never collide. */
#ifndef INVADJ_TUI_KEYS_H
#define INVADJ_TUI_KEYS_H

#include <curses.h>
#include <stdbool.h>

#define TK_FN_BASE 0x200000
#define TK_FN(k) (TK_FN_BASE + (k))
#define TK_IS_FN(k) ((k) >= TK_FN_BASE)
#define TK_CTRL(c) ((c) & 0x1f)
#define TK_ESC 27
#define TK_TAB 9
#define TK_ENTER 13
#define TK_NL 10
#define TK_BS 127
#define TK_INTERRUPT (TK_FN_BASE + 0x10000) /* Ctrl-C or SIGINT */
#define TK_NONE (-1)
#define TK_UNKNOWN (TK_FN_BASE + 0x10001) /* an escape sequence not understood: dropped */

static inline bool tk_is_enter(int k)
{
	return k == TK_ENTER || k == TK_NL || k == TK_FN(KEY_ENTER);
}

/* A short name for the key bar and help: "F1", "^S", "Enter", "r". */
const char *tk_name(int key, char *buf, int size);

#endif
