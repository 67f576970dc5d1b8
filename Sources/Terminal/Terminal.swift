import Canvas
import CNcursesw
import Foundation
import Glibc

/// What the terminal reports.
public enum TerminalEvent: Sendable, Equatable {
    case key(TerminalKey)
    case resize(width: Int, height: Int)
    /// SIGINT, SIGTERM, SIGHUP or SIGQUIT arrived.
    case signal(Int32)
    /// The screen may not show what was drawn (Ctrl-L, or the process was stopped and went on):
    /// the next frame must be drawn whole.
    case redraw
}

/// Keys as the terminal decodes them (the app maps these to its own `Key`).
public enum TerminalKey: Sendable, Equatable {
    case char(Character)
    case left, right, up, down, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, interrupt
    /// F1…F12: clickers send F5 (and Esc).
    case function(Int)
}

/// The one object that talks to ncurses. It draws a `Canvas` by writing only the cells that
/// changed since the last frame, and it restores the terminal on every way out.
public final class Terminal {
    public let profile: ColorProfile
    public let glyphs: GlyphSet
    private var previous: Canvas?
    private var started = false
    /// Colour pairs the terminal has (read once colour is started).
    private var pairs = 0

    /// Call before `start`: reads the locale so wide characters and the glyph set are right.
    public static func prepareLocale() -> Bool {
        setlocale(LC_ALL, "")
        return ct_locale_is_utf8() != 0
    }

    public init(asciiRequested: Bool, noColor: Bool) {
        let utf8 = Terminal.prepareLocale()
        glyphs = asciiRequested || !utf8 ? .ascii : .unicode
        profile = noColor ? .mono : .ansi8
    }

    public static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// Flushes standard output; true when some of it could not be written (a full disk,
    /// `> /dev/full`). Headless commands check it before reporting success.
    public static func outputFailed() -> Bool { ct_stdout_failed() != 0 }

    /// Why the terminal named by TERM cannot show the screen, or nil when it can.
    public static func unusableTerminalReason() -> String? {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if term.isEmpty { return "TERM is not set, so the terminal's type is unknown; set it, e.g. TERM=xterm-256color" }
        switch ct_term_usable() {
        case 1: return nil
        case -2: return "the terminal type '\(term)' cannot move the cursor, which a full screen needs; try TERM=xterm-256color or TERM=vt100"
        case -1: return "no terminfo database was found for the terminal type '\(term)'; install ncurses-base or try TERM=xterm-256color"
        default: return "the terminal type '\(term)' is not known here (no terminfo entry); try TERM=xterm-256color or TERM=vt100"
        }
    }

    public func start() {
        ct_install_signal_handlers()
        ct_capture_stderr()
        setenv("ESCDELAY", "25", 0)
        initscr()
        raw()
        noecho()
        nonl()
        keypad(ct_stdscr(), true)
        curs_set(0)
        if profile == .ansi8 && has_colors() {
            start_color()
            use_default_colors()
            pairs = Int(ct_color_pairs())
            for (n, fg, bg) in ColorPairs.definitions(available: pairs) { init_pair(n, fg, bg) }
        }
        started = true
        previous = nil
    }

    /// Leaves the terminal as it was found. Safe to call more than once.
    public func stop() {
        guard started else { return }
        started = false
        // Ended from a background process group (`kill %1`: TERM, then CONT), restoring the
        // terminal would stop us again with SIGTTOU, forever; let the restore fail instead.
        signal(SIGTTOU, SIG_IGN)
        curs_set(1)
        endwin()
        ct_release_stderr()
    }

    deinit { stop() }

    public var size: (width: Int, height: Int) { (Int(ct_cols()), Int(ct_lines())) }

    /// Draws `canvas`, touching only cells that differ from the previous frame.
    public func draw(_ canvas: Canvas) {
        if previous?.width != canvas.width || previous?.height != canvas.height {
            previous = nil
            wclear(ct_stdscr())
        }
        let useColor = profile == .ansi8 && has_colors()
        var buffer = [wchar_t](repeating: 0, count: 6)
        for span in canvas.changes(since: previous) {
            for x in span.from...span.to {
                let cell = canvas[x, span.y]
                if cell.isContinuation { continue }
                buffer[0] = wchar_t(cell.scalar.value)
                buffer[1] = 0
                let style = useColor ? cell.style : cell.style.monochrome
                _ = ct_put(Int32(span.y), Int32(x), buffer, attributes(style), useColor ? ColorPairs.number(for: style, available: pairs) : 0)
            }
        }
        wnoutrefresh(ct_stdscr())
        doupdate()
        previous = canvas
    }

    /// Forgets what is on screen: the next `draw` clears it and draws every cell, as when
    /// something else wrote over it.
    public func invalidate() {
        previous = nil
        wclear(ct_stdscr())
    }

    private func attributes(_ s: Style) -> attr_t {
        var a: attr_t = 0
        if s.bold { a |= ct_a_bold() }
        if s.dim { a |= ct_a_dim() }
        if s.underline { a |= ct_a_underline() }
        if s.reverse { a |= ct_a_reverse() }
        if s.italic { a |= ct_a_italic() }
        return a
    }

    /// Waits for input: `timeoutMilliseconds` < 0 blocks (no CPU used while paused).
    public func read(timeoutMilliseconds: Int32) -> TerminalEvent? {
        if let s = pendingSignal() { return .signal(s) }
        wtimeout(ct_stdscr(), timeoutMilliseconds)
        var ch: wint_t = 0
        let r = wget_wch(ct_stdscr(), &ch)
        if let s = pendingSignal() { return .signal(s) }
        if ct_take_cont() != 0 { return .redraw }
        // ERR is also what a terminal that went away gives, forever and at once (a session
        // started with setsid gets no SIGHUP): treat a hung-up or broken input as a hangup, or
        // the loop would spin at full speed with nobody to see it.
        if r == ERR { return Self.inputGone() ? .signal(SIGHUP) : nil }
        if r == ct_key_code_yes() {
            switch Int32(ch) {
            case KEY_RESIZE:
                previous = nil
                return .resize(width: size.width, height: size.height)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_ENTER: return .key(.enter)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_BTAB: return .key(.backTab)
            // KEY_F(n) is a macro Swift does not import: KEY_F0 + n.
            case KEY_F0 + 1...KEY_F0 + 12: return .key(.function(Int(Int32(ch) - KEY_F0)))
            default: return nil
            }
        }
        switch ch {
        case 3: return .key(.interrupt)
        case 12: return .redraw          // Ctrl-L, as in every full-screen program
        // Ctrl-Z: in raw mode the terminal does not turn it into SIGTSTP, so do it here; curses'
        // own handler restores the terminal, stops, and takes it back on `fg`.
        case 26: raise(SIGTSTP); return .redraw
        case 10, 13: return .key(.enter)
        case 27: return escapeSequence()
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// Esc, or the rest of a sequence the terminal sent that terminfo did not describe (tmux
    /// and xterm send Home as ESC [ H or ESC [ 1 ~, and bracketed paste wraps pastes in
    /// ESC [ 200 ~ … ESC [ 201 ~). Read as Esc, such a sequence ended the quiz; now it is the key
    /// it names, or nothing.
    private func escapeSequence() -> TerminalEvent? {
        func next() -> wint_t? {
            wtimeout(ct_stdscr(), 0)
            var ch: wint_t = 0
            let r = wget_wch(ct_stdscr(), &ch)
            return r == ERR || r == ct_key_code_yes() ? nil : ch
        }
        guard let first = next() else { return .key(.escape) }
        // Esc typed just before another key (Esc then q, faster than the terminal's delay):
        // the key is put back for the next read.
        guard first == 91 || first == 79 else { unget_wch(wchar_t(first)); return .key(.escape) }   // '[' (CSI) or 'O' (SS3)
        var parameter = 0
        for _ in 0..<16 {
            guard let c = next() else { return nil }
            switch c {
            case 48...57: parameter = min(9_999, parameter * 10 + Int(c - 48))
            case 59: parameter = 0                                       // ';' modifiers: keep the last
            case 0x40...0x7e:
                switch (Character(Unicode.Scalar(UInt32(c))!), parameter) {
                case ("A", _): return .key(.up)
                case ("B", _): return .key(.down)
                case ("C", _): return .key(.right)
                case ("D", _): return .key(.left)
                case ("H", _), ("~", 1), ("~", 7): return .key(.home)
                case ("F", _), ("~", 4), ("~", 8): return .key(.end)
                case ("~", 5): return .key(.pageUp)
                case ("~", 6): return .key(.pageDown)
                case ("~", 15): return .key(.function(5))
                case ("P", _): return first == 79 ? .key(.function(1)) : nil
                case ("Q", _): return first == 79 ? .key(.function(2)) : nil
                case ("R", _): return first == 79 ? .key(.function(3)) : nil
                case ("S", _): return first == 79 ? .key(.function(4)) : nil
                default: return nil
                }
            default: return nil
            }
        }
        return nil
    }

    static func inputGone() -> Bool {
        var p = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) >= 0 else { return errno != EINTR }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 || isatty(0) != 1
    }

    private func pendingSignal() -> Int32? {
        let s = ct_take_signal()
        return s == 0 ? nil : s
    }
}
