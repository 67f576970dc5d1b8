import Canvas
import Lessons

/// A lesson played headless with its real pacing, frame by frame, for a recording: each step
/// entered by a click, its questions shown, revealed and closed, its animation played to the
/// end, then held a moment, as a teacher would present it.
public enum Recording {
    public struct Frame: Sendable { public var time: Double; public var canvas: Canvas }

    public struct Options: Sendable {
        public var width = 100, height = 30
        public var glyphs = GlyphSet.unicode
        /// Real time runs this much faster than the recording's clock.
        public var speed = 1.0
        /// Present (the scene large) or the student's player.
        public var presenter = true
        public var frameRate = 30.0
        /// A step's animation is cut off after this long (a lesson that waits on an endless run).
        public var stepLimit = 60.0
        public init() {}
    }

    public static func frames(of session: any Playable, steps: ClosedRange<Int>, _ o: Options) -> [Frame] {
        let player = PlayerState(session: session)
        var model = AppModel(screen: o.presenter ? .presenter(PresenterState(player: player)) : .player(player),
                             width: o.width, height: o.height, glyphs: o.glyphs)
        var frames: [Frame] = []
        var t = 0.0
        let dt = 1.0 / o.frameRate
        func capture() {
            let c = model.view()
            if frames.last?.canvas != c { frames.append(Frame(time: t, canvas: c)) }
        }
        func hold(_ seconds: Double) {
            var left = seconds
            while left > 0 {
                model.update(.tick(Int64(dt * 1e6 * o.speed)))
                t += dt; left -= dt
                capture()
            }
        }
        func key(_ k: Key) { model.update(.key(k)); capture() }
        var session: any Playable { model.presenter?.player.session ?? model.player!.session }
        var questionOpen: Bool { model.presenter?.question != nil || model.player?.quiz != nil }
        if steps.lowerBound > 0 {
            // Straight to the first step recorded, with no "go to step" on screen.
            switch model.screen {
            case .presenter(var s):
                _ = s.player.session.goToStep(steps.lowerBound); s.player.enteredStep(playing: true); s.takeQuestion()
                model.screen = .presenter(s)
            case .player(var p):
                _ = p.session.goToStep(steps.lowerBound); p.enteredStep(playing: true)
                model.screen = .player(p)
            default: break
            }
        }
        capture()
        for step in steps {
            if session.step < step {
                // Past the end of the previous step: one click goes on (two if it still plays).
                key(.pageDown)
                if session.step < step { key(.pageDown) }
            }
            var asked = 0
            while questionOpen, asked < 10 {
                asked += 1
                if model.presenter != nil {
                    hold(3); key(.pageDown)          // reveal
                    hold(4); key(.pageDown)          // close
                } else {
                    hold(3); key(.escape)
                }
            }
            var played = 0.0
            while !session.scriptDone, played < o.stepLimit {
                hold(dt); played += dt
                // The player stops at the end of its script; a paused step is played on.
                if model.presenter?.player.playing == false || model.player?.playing == false, !session.scriptDone { key(.char(" ")) }
            }
            hold(step == steps.upperBound ? 2 : 1.5)
        }
        return frames
    }

    /// An asciicast v2 file (what asciinema's player reads): a header line, then one line per
    /// frame with its time and the terminal output that draws it.
    public static func asciicast(_ frames: [Frame], width: Int, height: Int, title: String, color: Bool = true) -> String {
        var out = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(json(title)), \"env\": {\"TERM\": \"xterm-256color\"}}\n"
        var previous: Canvas?
        for f in frames {
            let data = f.canvas.ansi(since: previous, color: color)
            previous = f.canvas
            let whole = Int((f.time * 1_000_000).rounded())
            let frac = whole % 1_000_000
            out += "[\(whole / 1_000_000).\(String(repeating: "0", count: 6 - String(frac).count))\(frac), \"o\", \(json(data))]\n"
        }
        // The cursor back, for a player that leaves the terminal as the recording left it.
        if let last = frames.last {
            let whole = Int((last.time * 1_000_000).rounded()) + 1
            out += "[\(whole / 1_000_000).\(String(repeating: "0", count: 6 - String(whole % 1_000_000).count))\(whole % 1_000_000), \"o\", \(json("\u{1B}[?25h"))]\n"
        }
        return out
    }

    /// A JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
