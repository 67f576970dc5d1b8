#ifndef CLUSTERTUTOR_NCURSES_SHIM_H
#define CLUSTERTUTOR_NCURSES_SHIM_H

// SwiftPM drops pkg-config's -D flags, so ask for the wide-character API here,
// before curses.h decides what to declare.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <fcntl.h>
#include <stdlib.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// Swift 6 rejects C globals as not concurrency-safe, and function-like macros do not import:
// reach them through small functions.
static inline WINDOW *ct_stdscr(void) { return stdscr; }
static inline int ct_lines(void) { return LINES; }
static inline int ct_cols(void) { return COLS; }
static inline int ct_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ct_a_bold(void) { return A_BOLD; }
static inline attr_t ct_a_dim(void) { return A_DIM; }
static inline attr_t ct_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ct_a_reverse(void) { return A_REVERSE; }
static inline attr_t ct_a_italic(void) { return A_ITALIC; }
static inline int ct_key_code_yes(void) { return KEY_CODE_YES; }

/// Puts one character (up to 4 code points, for combining marks) with attributes and colour pair.
static inline int ct_put(int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t c;
    if (setcchar(&c, chars, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &c);
}

/// Whether the locale's character set is UTF-8 (otherwise the ASCII glyph set is used).
static inline int ct_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/// Flushes standard output and says whether anything written to it was lost (a write that
/// failed when the buffer filled sets the error flag; a later flush has nothing left to fail on).
static inline int ct_stdout_failed(void) { return fflush(stdout) != 0 || ferror(stdout) != 0; }

/// Whether the terminal named by TERM can be driven, asked before `initscr`, which on failure
/// prints to a stderr we have captured and exits. 1: usable; 0: unknown type; -1: no terminfo
/// database; -2: known but cannot move the cursor (a `dumb` or hardcopy terminal).
static inline int ct_term_usable(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return err == 0 ? 0 : -1;
    char cup[] = "cup";
    const char *move = tigetstr(cup);
    int ok = move != NULL && move != (char *)-1;
    del_curterm(cur_term);
    return ok ? 1 : -2;
}

// Signals. A termination signal only sets a flag: the blocking read returns (no SA_RESTART)
// and the app restores the terminal on its normal path. A crash signal restores the terminal
// right away, says so, and lets the signal take its default course.
static volatile sig_atomic_t ct_signal_seen = 0;

// While the screen is in curses mode, anything written to stderr (a Swift runtime error, say)
// would be drawn over and then lost when the screen is restored. So stderr goes to a temporary
// file while the player runs, and is replayed after the terminal is restored, on every exit path.
static int ct_saved_stderr = -1;
static int ct_captured_stderr = -1;

static inline void ct_capture_stderr(void) {
    char path[] = "/tmp/clustertutor-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return;
    unlink(path);
    ct_saved_stderr = dup(2);
    if (ct_saved_stderr < 0) { close(fd); return; }
    dup2(fd, 2);
    ct_captured_stderr = fd;
}

/// Async-signal-safe: used from the crash handler too.
static inline void ct_release_stderr(void) {
    if (ct_saved_stderr < 0) return;
    dup2(ct_saved_stderr, 2);
    char buffer[4096];
    ssize_t n;
    lseek(ct_captured_stderr, 0, SEEK_SET);
    while ((n = read(ct_captured_stderr, buffer, sizeof buffer)) > 0) {
        ssize_t unused = write(2, buffer, (size_t)n);
        (void)unused;
    }
    close(ct_captured_stderr);
    close(ct_saved_stderr);
    ct_saved_stderr = -1;
    ct_captured_stderr = -1;
}

static void ct_on_signal(int sig) { ct_signal_seen = sig; }

// After a stop (SIGSTOP, a job-control suspend) whatever was drawn meanwhile by others is on
// the screen, and curses does not know: SIGCONT asks for a full repaint.
static volatile sig_atomic_t ct_cont_seen = 0;
static void ct_on_cont(int sig) { (void)sig; ct_cont_seen = 1; }
static inline int ct_take_cont(void) {
    int s = ct_cont_seen;
    ct_cont_seen = 0;
    return s;
}

static void ct_on_crash(int sig) {
    endwin();
    ct_release_stderr();
    const char *m = "\nclustertutor: internal error (fatal signal); the terminal was restored.\n";
    ssize_t unused = write(2, m, strlen(m));
    (void)unused;
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void ct_install_signal_handlers(void) {
    // A parent may hand us a blocked signal mask (threads in test runners and some launchers
    // block signals). Blocked SIGWINCH means no resize; blocked SIGTERM means no clean exit.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGQUIT);
    sigaddset(&wanted, SIGWINCH);
    sigaddset(&wanted, SIGCONT);
    sigaddset(&wanted, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
    signal(SIGWINCH, SIG_DFL);   // so ncurses installs its own resize handler
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = ct_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    struct sigaction cont;
    memset(&cont, 0, sizeof cont);
    sigemptyset(&cont.sa_mask);
    cont.sa_handler = ct_on_cont;
    sigaction(SIGCONT, &cont, NULL);
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    sigemptyset(&crash.sa_mask);
    crash.sa_handler = ct_on_crash;
    crash.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &crash, NULL);
    sigaction(SIGBUS, &crash, NULL);
    sigaction(SIGILL, &crash, NULL);
    sigaction(SIGTRAP, &crash, NULL);
    sigaction(SIGABRT, &crash, NULL);
    sigaction(SIGFPE, &crash, NULL);
}

static inline int ct_take_signal(void) {
    int s = ct_signal_seen;
    ct_signal_seen = 0;
    return s;
}

#endif
