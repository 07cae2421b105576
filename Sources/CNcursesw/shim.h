// The only C surface of the TUI: enables ncurses' wide-character API and wraps its globals and macros in
// functions, because C globals such as stdscr and COLORS are not concurrency-safe when imported into Swift 6.
#ifndef TOKENWORKS_NCURSES_SHIM_H
#define TOKENWORKS_NCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *tw_stdscr(void) { return stdscr; }
static inline int tw_colors(void) { return COLORS; }
static inline int tw_color_pairs(void) { return COLOR_PAIRS; }
static inline int tw_lines(void) { return LINES; }
static inline int tw_cols(void) { return COLS; }
static inline attr_t tw_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t tw_a_bold(void) { return A_BOLD; }
static inline attr_t tw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tw_a_reverse(void) { return A_REVERSE; }
static inline attr_t tw_a_dim(void) { return A_DIM; }
static inline attr_t tw_a_italic(void) { return A_ITALIC; }
static inline attr_t tw_a_normal(void) { return A_NORMAL; }
static inline int tw_key_resize(void) { return KEY_RESIZE; }
static inline int tw_key_mouse(void) { return KEY_MOUSE; }
static inline int tw_err(void) { return ERR; }
#endif
