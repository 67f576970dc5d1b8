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
        /// The whole recording stops here: 200 steps of a lesson that never settles would
        /// otherwise make hours of frames.
        public var maxSeconds = 1_200.0
        public init() {}
    }

    /// Every frame, kept: for tests and short recordings (`play` keeps none).
    public static func frames(of session: any Playable, steps: ClosedRange<Int>, _ o: Options) -> [Frame] {
        var frames: [Frame] = []
        play(session, steps: steps, o) { frames.append($0) }
        return frames
    }

    /// Plays the lesson and hands over each frame that differs from the one before, keeping
    /// none of them.
    public static func play(_ session: any Playable, steps: ClosedRange<Int>, _ o: Options, frame emit: (Frame) -> Void) {
        let player = PlayerState(session: session)
        var model = AppModel(screen: o.presenter ? .presenter(PresenterState(player: player)) : .player(player),
                             width: o.width, height: o.height, glyphs: o.glyphs)
        var last: Canvas?
        var t = 0.0
        let dt = 1.0 / o.frameRate
        func capture() {
            let c = model.view()
            if last != c { emit(Frame(time: t, canvas: c)); last = c }
        }
        func hold(_ seconds: Double) {
            var left = seconds
            while left > 0, t < o.maxSeconds {
                model.update(.tick(Int64(dt * 1e6 * o.speed)))
                t += dt; left -= dt
                capture()
            }
        }
        func key(_ k: Key) { model.update(.key(k)); capture() }
        var session: any Playable { model.presenter?.player.session ?? model.player!.session }
        var questionOpen: Bool { model.presenter?.question != nil || model.presenter?.pendingQuestion != nil || model.player?.quiz != nil }
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
        for step in steps where t < o.maxSeconds {
            if session.step < step {
                // Past the end of the previous step: one click goes on (two if it still plays,
                // more while a presenter pages narration its band cannot hold).
                for _ in 0..<12 where session.step < step { key(.pageDown) }
            }
            var asked = 0
            while questionOpen, asked < 10 {
                asked += 1
                if model.presenter?.pendingQuestion != nil {
                    hold(3); key(.pageDown)          // the narration read, the question asked
                } else if model.presenter != nil {
                    hold(3); key(.pageDown)          // reveal
                    hold(4); key(.pageDown)          // close
                } else {
                    hold(3); key(.escape)
                }
            }
            var played = 0.0
            while !session.scriptDone, played < o.stepLimit, t < o.maxSeconds {
                hold(dt); played += dt
                // The player stops at the end of its script; a paused step is played on.
                if model.presenter?.player.playing == false || model.player?.playing == false, !session.scriptDone { key(.char(" ")) }
            }
            hold(step == steps.upperBound ? 2 : 1.5)
        }
    }

    /// An asciicast v2 file (what asciinema's player reads): a header line, then one line per
    /// frame with its time and the terminal output that draws it.
    public static func asciicast(_ frames: [Frame], width: Int, height: Int, title: String, color: Bool = true) -> String {
        var cast = Cast(width: width, height: height, title: title, color: color)
        for f in frames { cast.add(f) }
        return cast.finish()
    }

    /// An asciicast written as frames come: only the previous screen is kept.
    public struct Cast {
        public private(set) var text: String
        public private(set) var frames = 0
        var previous: Canvas?
        var lastTime = 0.0
        let color: Bool

        public init(width: Int, height: Int, title: String, color: Bool = true) {
            self.color = color
            text = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(JSONText.string(title)), \"env\": {\"TERM\": \"xterm-256color\"}}\n"
        }

        public mutating func add(_ f: Frame) {
            event(f.time, f.canvas.ansi(since: previous, color: color))
            previous = f.canvas; lastTime = f.time; frames += 1
        }

        /// The cursor back at the end, for a player that leaves the terminal as the recording left it.
        public mutating func finish() -> String {
            if frames > 0 { event(lastTime + 0.000001, "\u{1B}[?25h") }
            return text
        }

        mutating func event(_ time: Double, _ data: String) {
            let whole = Int((time * 1_000_000).rounded()), frac = String(whole % 1_000_000)
            text += "[\(whole / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac), \"o\", \(JSONText.string(data))]\n"
        }
    }
}
