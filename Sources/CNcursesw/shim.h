// The only C surface of the TUI: enables ncurses' wide-character API and wraps its globals and macros in
// functions, because C globals such as stdscr and COLORS are not concurrency-safe when imported into Swift 6.
// It also holds the emergency terminal restore run from signal handlers and atexit (plain C: no Swift runtime
// is entered from a signal handler).
#ifndef TOKENWORKS_NCURSES_SHIM_H
#define TOKENWORKS_NCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#if defined(__APPLE__)
#include <curses.h>
#else
#include <ncursesw/curses.h>
#endif

static inline WINDOW *tw_stdscr(void) { return stdscr; }
static inline int tw_colors(void) { return COLORS; }
static inline int tw_color_pairs(void) { return COLOR_PAIRS; }
static inline int tw_lines(void) { return LINES; }
static inline int tw_width(void) { return getmaxx(stdscr); }
static inline int tw_height(void) { return getmaxy(stdscr); }
static inline int tw_cols(void) { return COLS; }
static inline attr_t tw_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t tw_a_bold(void) { return A_BOLD; }
static inline attr_t tw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tw_a_reverse(void) { return A_REVERSE; }
static inline attr_t tw_a_dim(void) { return A_DIM; }
#ifdef A_ITALIC
static inline attr_t tw_a_italic(void) { return A_ITALIC; }
#else
static inline attr_t tw_a_italic(void) { return A_NORMAL; }
#endif
static inline attr_t tw_a_normal(void) { return A_NORMAL; }
static inline int tw_key_resize(void) { return KEY_RESIZE; }
static inline int tw_key_mouse(void) { return KEY_MOUSE; }
static inline int tw_key_code_yes(void) { return KEY_CODE_YES; }
static inline int tw_key_f(int n) { return KEY_F(n); }
static inline int tw_err(void) { return ERR; }
static inline int tw_ok(void) { return OK; }
static inline int tw_ccharw_max(void) { return CCHARW_MAX; }

/// A screen on the process's own stdin/stdout; NULL (instead of exiting, as initscr does) when TERM is unusable.
static inline SCREEN *tw_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline mmask_t tw_mouse_all_events(void) { return ALL_MOUSE_EVENTS; }
static inline mmask_t tw_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
static inline mmask_t tw_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t tw_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t tw_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t tw_button5_pressed(void) { return 0; }
#endif

/// Writes bytes straight to the terminal (escape sequences ncurses does not manage, such as bracketed paste).
static inline void tw_write_terminal(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

/// Set while ncurses owns the terminal; read by the emergency restore.
static volatile sig_atomic_t tw_terminal_active = 0;
static inline void tw_set_terminal_active(int active) { tw_terminal_active = active; }
static inline int tw_is_terminal_active(void) { return tw_terminal_active; }

/// Gives the terminal back: bracketed paste and mouse reporting off, cursor visible, ncurses ended. Safe to call
/// more than once; a no-op when ncurses is not active.
static inline void tw_emergency_restore(void) {
    if (!tw_terminal_active) return;
    tw_terminal_active = 0;
    tw_write_terminal("\033[?2004l\033[?1000l\033[?1002l\033[?1006l\033[?25h");
    endwin();
}

static inline void tw_signal_handler(int sig) {
    tw_emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void tw_atexit_handler(void) { tw_emergency_restore(); }

/// The crash signals (a trap in Swift code is SIGILL on x86-64 and SIGTRAP on arm64) and the actions that were
/// installed for them before ours (the Swift runtime's backtracer, when it is on).
static const int tw_crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT };
static inline struct sigaction *tw_previous_crash_action(size_t index) {
    // A function-local static: Swift's importer emits it with the function (a file-scope one is not emitted).
    static struct sigaction actions[sizeof(tw_crash_signals) / sizeof(int)];
    return &actions[index];
}

/// A crash while the terminal is in raw mode (a trap while rendering, say): give the terminal back, then let
/// the previous handler (or the default action) see the very same signal, so crash reports are unchanged.
static inline void tw_crash_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    tw_emergency_restore();
    for (size_t i = 0; i < sizeof(tw_crash_signals) / sizeof(int); i++) {
        if (tw_crash_signals[i] == sig) sigaction(sig, tw_previous_crash_action(i), NULL);
    }
    // A fault raised by the faulting instruction happens again on return, now reaching the previous handler;
    // a signal sent by kill() or raise() does not, so it is sent again.
    if (info == NULL || info->si_code <= 0) raise(sig);
}

/// Restores the terminal on SIGTERM, SIGHUP, SIGQUIT and SIGINT (which only arrives when not in raw mode), on
/// crashes, and at process exit, then lets the signal do what it would have done.
static inline void tw_install_restore_hooks(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    signal(SIGTERM, tw_signal_handler);
    signal(SIGHUP, tw_signal_handler);
    signal(SIGQUIT, tw_signal_handler);
    signal(SIGINT, tw_signal_handler);
    for (size_t i = 0; i < sizeof(tw_crash_signals) / sizeof(int); i++) {
        struct sigaction action;
        memset(&action, 0, sizeof(action));
        action.sa_sigaction = tw_crash_handler;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&action.sa_mask);
        sigaction(tw_crash_signals[i], &action, tw_previous_crash_action(i));
    }
    atexit(tw_atexit_handler);
}
#endif
