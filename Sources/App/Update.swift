import Canvas
import Dispatch
import Lessons
import Simulation
import Scenes

extension AppModel {
    /// The one place the app's state changes.
    public mutating func update(_ msg: Msg) {
        switch msg {
        case let .resize(w, h):
            width = w; height = h
        case .tick(let real):
            if case .quiz(var q) = screen, q.feedback == nil, !q.isOver {
                q.elapsed += Double(real) / 1e6
                screen = .quiz(q)
                return
            }
            if case .presenter(var s) = screen {
                s.tick(isTooSmall || showHelp ? 0 : real)
                screen = .presenter(s)
                return
            }
            guard case .player(var p) = screen, p.playing, !isTooSmall else { ticking = false; return }
            // Play that starts now starts from now: real time spent paused before the key is
            // not played at once (it made every step open with a jump past its first messages).
            p.tick(realMicros: ticking ? real : 0)
            ticking = true
            screen = .player(p)
        case let .experimentProgress(block, done, total, seconds):
            withPlayer { $0.experimentProgressed(block, done: done, total: total, seconds: seconds) }
        case let .experimentFinished(block, outcome):
            withPlayer { $0.experimentFinished(block, outcome) }
        case .key(let key):
            if key == .interrupt { if let p = player { rememberPosition(p) }; quit = true; interrupted = true; return }
            if showHelp { showHelp = false; return }
            if isTooSmall { if key == .char("q") || key == .escape { quit = true }; return }
            if case .presenter(var s) = screen {
                if key == .char("q") { quit = true; return }
                if key == .char("?") { showHelp = true; return }
                s.screen = (width, height, glyphs)
                s.handle(key)
                screen = .presenter(s)
                return
            }
            switch screen {
            case .menu(var m):
                handleMenu(key, &m)
                if case .menu = screen { screen = .menu(m); menu = m }
            case .player(var p):
                handlePlayer(key, &p)
                if case .player = screen { screen = .player(p) }
            case .quiz(var q):
                handleQuiz(key, &q)
                screen = .quiz(q)
            case .presenter: break   // handled above
            }
        }
    }

    mutating func handleMenu(_ key: Key, _ m: inout MenuState) {
        switch key {
        case .up, .char("k"): m.selected = max(0, m.selected - 1); m.message = nil
        case .down, .char("j"), .tab: m.selected = min(m.entries.count - 1, m.selected + 1); m.message = nil
        case .home: m.selected = 0
        case .end: m.selected = max(0, m.entries.count - 1)
        case .enter, .right, .char(" "), .char("l"):
            guard m.entries.indices.contains(m.selected) else { return }
            switch Catalog.open(m.entries[m.selected].document) {
            case .success(let session):
                menu = m
                var player = PlayerState(session: session, fromMenu: true, experiments: experimentMode)
                player.offerResume(positions)
                screen = .player(player)
            case .failure(let d):
                m.message = "This lesson has errors: " + (d.all.first?.description ?? "") + (d.all.count > 1 ? " (+\(d.all.count - 1) more)" : "")
            }
        case .char("?"): showHelp = true
        case .char("q"), .escape: quit = true
        default: break
        }
    }

    mutating func handlePlayer(_ key: Key, _ p: inout PlayerState) {
        p.status = nil
        if let n = p.resumeAt {
            p.resumeAt = nil
            if key == .enter {
                _ = p.session.goToStep(n)
                p.enteredStep(playing: true)
                p.status = "back at the start of step \(n), where you left off"
                return
            }
        }
        if let q = p.quiz {
            // q quits, as the key bar says, unless it is being typed into an answer.
            let typing = q.index < p.session.quizzes.count && p.session.quizzes[q.index].choices.isEmpty && !q.input.isEmpty
            if key == .char("q") && !typing && q.marking == nil { rememberPosition(p); quit = true; return }
            // ? is never a choice letter nor part of a number: the key bar offers help, so it helps.
            if key == .char("?") { showHelp = true; return }
            let screen = Rect(x: 0, y: 0, width: width, height: height)
            // PgUp/PgDn read the narration the question's box leaves too little room for (on
            // a small screen it often ends with what to look at before answering).
            if key == .pageUp || (key == .pageDown && q.marking == nil) {
                PlayerScreen.scrollNarration(&p, pages: key == .pageUp ? -1 : 1, screen: screen, glyphs: glyphs)
                return
            }
            // Answered: PgDn (a clicker's "next") reads the rest of a long explanation first,
            // and only then goes on.
            if key == .pageDown, q.marking != nil, let next = PlayerScreen.questionPageDown(p, screen: screen, glyphs: glyphs) {
                p.quiz?.scroll = next
                return
            }
            p.handleQuiz(key)
            return
        }
        if p.goTo != nil { p.handleGoTo(key); return }
        if let k = p.awaitingTarget {
            p.awaitingTarget = nil
            guard case .char(let c) = key, c.isASCII, c.isNumber, c != "0" else { p.status = "cancelled"; return }
            let n = Int(String(c))! - 1
            guard n < p.session.nodeCount else { p.status = "there is no \(c)"; return }
            p.status = p.session.interact(k, selected: p.selected, target: n)
            return
        }
        // The scene gets first refusal of keys it declares (selection, scrolling, a pin).
        if let sk = SceneKey(key), let status = p.session.sceneKey(sk) { p.status = status; return }
        switch key {
        case .char("q"):
            rememberPosition(p)
            quit = true
        case .escape:
            // Esc undoes the last small thing (a selection); it never throws a lesson away.
            if p.selected != nil { p.selected = nil; p.status = "selection cleared" }
            else { p.status = menu != nil ? "m goes to the menu · q quits" : "q quits" }
        case .char("m"):
            if let menu { rememberPosition(p); screen = .menu(menu) } else { p.status = "q quits" }
        case .char("P"):
            guard p.hasExperiment else { p.status = "this step has no experiment"; return }
            p.showingExperiment.toggle()
            p.status = p.showingExperiment ? "the experiment's trials (P: the cluster)" : "the cluster (P: the experiment's trials)"
        case .char("R"):
            guard !p.sandbox else { p.status = "a sandbox has no steps"; return }
            p.restartStep()
        case .char("g"):
            guard !p.sandbox else { p.status = "a sandbox has no steps"; return }
            p.playing = false; p.skipping = false
            p.goTo = ""
        case .char("?"): showHelp = true
        case .char(" "):
            if p.skipping { p.skipping = false; p.playing = false; p.status = "stopped skipping; → skips again"; return }
            if p.session.scriptDone { p.freeRun = true }
            p.playing.toggle()
        case .right, .char("n"), .pageDown:
            p.nextStep()
        case .left, .char("p"), .pageUp:
            p.previousStep()
        case .char("."):
            p.playing = false
            // Past the end of the script, an event forward is the cluster running on.
            if p.session.scriptDone { p.freeRun = true }
            p.session.stepEvent()
        case .char(","):
            p.playing = false
            if !p.session.backEvent() {
                p.status = p.session.step > 0 ? "at the start of this step's history; ← goes to the previous step" : "at the very start"
            }
        case .char("+"), .char("="):
            p.speed = min(Speed.levels.count - 1, p.speed + 1); p.status = p.speedStatus
        case .char("-"), .char("_"):
            p.speed = max(0, p.speed - 1); p.status = p.speedStatus
        case .char(let c) where c.isNumber && c != "0":
            let n = Int(String(c))! - 1
            if n < p.session.nodeCount { p.selected = n } else { p.status = "there is no n\(n + 1)" }
        case .char("0"): p.selected = nil
        case .tab:
            p.selected = p.selected.map { ($0 + 1) % p.session.nodeCount } ?? 0
        case .backTab:
            p.selected = p.selected.map { ($0 + p.session.nodeCount - 1) % p.session.nodeCount } ?? 0
        case .char("l"):
            p.logFocus.toggle(); p.logScroll = 0
            p.status = p.logFocus ? "event log: every line, ↑/↓ scroll it, l returns" : "event log: the latest lines (newest at the bottom), checks folded"
        case .up:
            if p.logFocus { p.logScroll += 1 } else { p.scroll = max(0, p.scroll - 1) }
        case .down:
            if p.logFocus { p.logScroll = max(0, p.logScroll - 1) } else { p.scroll += 1 }
        case .char("c"):
            guard let n = p.selected else { p.status = "select a node first (1–9, Tab)"; return }
            p.status = p.session.toggleCrash(n)
        case .char("x"):
            guard let n = p.selected else { p.status = "select a node first (1–9, Tab)"; return }
            p.status = p.session.isolate(n)
        case .char("h"):
            p.status = p.session.heal()
        case .char(let c):
            if p.session.interactionNeedsTarget(c) {
                guard let from = p.selected else { p.status = "select a node first (1–9, Tab), then \(c) and the other node"; return }
                p.awaitingTarget = c
                p.status = "from \(p.session.nodeName(from)) to which node? press its number (Esc cancels)"
                return
            }
            if let result = p.session.interact(c, selected: p.selected, target: nil) { p.status = result }
        default:
            break
        }
    }
}

extension AppModel {
    /// Leaving a lesson part way remembers the step, so opening it again can offer it. The
    /// introduction and a finished lesson are not worth offering; a sandbox has no steps.
    mutating func rememberPosition(_ p: PlayerState) {
        guard !p.sandbox else { return }
        let step = p.session.step
        let finished = step == p.session.stepCount && p.session.scriptDone
        // -1: finished (the menu marks it); a step: where to offer to resume; 0: nothing.
        let keep = finished ? -1 : step > 0 ? step : (positions[p.session.lessonName] == -1 ? -1 : 0)
        guard positions[p.session.lessonName] ?? 0 != keep else { return }
        positions[p.session.lessonName] = keep
        effects.append(.savePosition(lesson: p.session.lessonName, step: keep))
    }
}

extension PlayerState {
    /// Offers the step this lesson was left at, if there is one worth going back to.
    public mutating func offerResume(_ positions: [String: Int]) {
        if let n = positions[session.lessonName], n > 0, n <= session.stepCount { resumeAt = n }
    }

    /// Keys the player itself handles before a pattern's interactions are asked: a pattern that
    /// offered one of these would never see it pressed (a test holds every pattern to this).
    public static let reservedKeys: Set<Character> = Set("q?m .,+=-_0123456789cxhnpRglP")

    /// About 10 ms of simulation per frame on this project's build machine.
    static let eventsPerFrame = 20_000
    /// While skipping to the end of a step: as much as a frame can take and still answer keys.
    static let eventsPerSkippingFrame = 100_000
    /// A frame's simulation also stops after this much real time: events differ a
    /// hundredfold in cost (a 1,000-node push-pull round of fanout 10 against a Raft
    /// heartbeat), so a count alone let one frame run for two seconds, keys unread.
    static let frameNanoseconds: UInt64 = 100_000_000

    /// `session.advance` in slices of 2,000 events, until `target`, `maxEvents` or the frame's
    /// time is reached. The slices change nothing but how far one frame gets: the run is the
    /// same event for event. True when it reached `target`.
    @discardableResult
    mutating func advanceWithinFrame(to target: SimTime, freeRun: Bool, maxEvents: Int) -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        var left = maxEvents
        while left > 0 {
            let slice = min(left, 2_000)
            if session.advance(to: target, freeRun: freeRun, maxEvents: slice) { return true }
            left -= slice
            if DispatchTime.now().uptimeNanoseconds - start > Self.frameNanoseconds { break }
        }
        return false
    }

    mutating func tick(realMicros: Int64) {
        // A step whose script is over (or has none) waits for the student: playing on is a
        // choice (space), never what → leads to.
        if !freeRun && !sandbox && session.scriptDone && !skipping {
            playing = false
            status = stepDoneStatus
            return
        }
        if skipping {
            advanceWithinFrame(to: .max, freeRun: false, maxEvents: Self.eventsPerSkippingFrame)
            if session.scriptDone { skipping = false; playing = false; status = "jumped to the end of this step; → again for the next" }
            return
        }
        let wire = session.wire
        // A quiet stretch keeps the rate it started with, so it ends on time instead of slowing
        // down as what remains shrinks.
        if let q = wire.quietFor {
            let until = session.now + q
            if quietPlan?.until != until { quietPlan = (until, q); quietStretches += 1 }
        } else {
            quietPlan = nil
        }
        let planned = quietPlan.map { Wire(quietFor: $0.length) } ?? wire
        if wire.shortestFlight != nil && !wireWasBusy { exchanges += 1 }
        wireWasBusy = wire.shortestFlight != nil
        let rate = Pacing.rate(planned, speed: speed, fixed: session.fixedRate, exchange: exchanges, quiet: quietStretches)
        effectiveRate = rate
        let target = session.now + max(1, Int64((Double(realMicros) * rate).rounded()))
        let wasScripted = !session.scriptDone
        // A frame does a bounded amount of work, so keys (q!) and signals are read every frame
        // even when the cluster makes more events than the machine can simulate in real time.
        // Time then runs slower than the speed asks, and the status line says so.
        if status != statusSeen { statusSeen = status; statusAge = 0 } else { statusAge += realMicros }
        let before = session.now
        let caughtUp = advanceWithinFrame(to: target, freeRun: freeRun || sandbox, maxEvents: Self.eventsPerFrame)
        if !caughtUp {
            // A key's own answer ("payments is now down") stands two seconds: the busy notice,
            // set every frame, had hidden every key's feedback under load.
            if status == nil || status == Self.busyStatus || statusAge > 2_000_000 { status = Self.busyStatus; statusSeen = status }
            // The top bar shows the rate time really ran at, not the one asked for.
            if realMicros > 0 { effectiveRate = min(rate, max(1e-6, Double(session.now - before) / Double(realMicros))) }
        }
        if wasScripted && session.scriptDone && !freeRun && !sandbox {
            playing = false
            status = stepDoneStatus
        }
    }

    static let busyStatus = "busy cluster: more events than can be shown at this speed; time runs slower (- slows down)"

    /// Says how the speed compares with the default pace, and what the top bar's own figure
    /// is: there, "x5" is simulated time per real second, which pacing varies as the cluster
    /// goes quiet or busy. (Side by side, "x5" and "20× faster" read as a contradiction.)
    var speedStatus: String {
        guard Speed.scale(speed) != 1 else { return "speed: the default pace (slow for messages, quick for waits)" }
        // While playing the bar shows simulated time per real second, which is another figure.
        return "speed: \(Speed.scaleText(speed)) the default pace" + (playing ? " (top bar: sim s per real s)" : "")
    }

    var stepDoneStatus: String {
        if session.step == 0 { return "→ begins the lesson · space lets the cluster run" }
        return session.step < session.stepCount
            ? "step done: → next step · space lets the cluster run on"
            : "lesson done: space lets the cluster run on · q quits"
    }

    /// What the player is doing, as the status line says it.
    public enum Phase: Equatable { case playing, runningOn, skipping, paused, pausedOffScript, stepDone, lessonDone, question, choosingStep }

    public var phase: Phase {
        if quiz != nil { return .question }
        if goTo != nil { return .choosingStep }
        if skipping { return .skipping }
        if playing { return freeRun || sandbox ? .runningOn : .playing }
        if sandbox { return .paused }
        if session.scriptDone {
            if session.offScript { return .pausedOffScript }
            return session.step == session.stepCount ? .lessonDone : .stepDone
        }
        return .paused
    }

    /// What every way into a step (next, back, restart, go to, resume) resets: no question, no
    /// skipping or running on, the narration at its top, pacing as for a fresh step. `ask`
    /// opens the step's questions, which then hold the play until answered.
    mutating func enteredStep(playing: Bool, ask: Bool = true) {
        quiz = nil; skipping = false; freeRun = false; scroll = 0
        exchanges = 0; quietStretches = 0
        loadExperiment()
        self.playing = playing
        if ask && playing { openQuizzes() }
    }

    mutating func restartStep() {
        session.restartStep()
        enteredStep(playing: session.step > 0)
        status = session.step > 0 ? "step \(session.step) from its start" : "back at the introduction"
    }

    mutating func handleGoTo(_ key: Key) {
        switch key {
        case .char(let c) where c.isASCII && c.isNumber:
            if (goTo ?? "").count < 9 { goTo = (goTo ?? "") + String(c) } else { status = "a step number is at most 9 digits" }
        case .backspace:
            goTo = goTo.map { String($0.dropLast()) }
        case .enter:
            let typed = goTo ?? ""
            goTo = nil
            guard let n = Int(typed), (0...session.stepCount).contains(n) else {
                status = typed.isEmpty ? "no step typed" : "there is no step \(typed): steps are 1 to \(session.stepCount) (0: the introduction)"
                return
            }
            _ = session.goToStep(n)
            enteredStep(playing: n > 0)
            status = n == 0 ? "the introduction" : "step \(n) from its start"
        case .escape, .char("g"):
            goTo = nil
        default:
            status = "type a step number (0–\(session.stepCount)) and Enter; Esc cancels"
        }
    }

    mutating func nextStep() {
        if !session.scriptDone {
            // Most steps finish within one slice; a heavy one goes on a slice a frame.
            advanceWithinFrame(to: .max, freeRun: false, maxEvents: Self.eventsPerSkippingFrame)
            if session.scriptDone {
                playing = false
                skipping = false
                status = "jumped to the end of this step; → again for the next"
            } else {
                playing = true
                skipping = true
                status = "skipping to the end of this step (space stops)"
            }
            return
        }
        if session.nextStep() {
            enteredStep(playing: true)
            if let k = session.setAside {
                // The step begins where the lesson (and `check`) has it; the student's branch waits one step back.
                status = k == 0 ? "your run set aside (← returns to it)"
                                : "your changes in step \(k) set aside (← returns to them)"
            }
        } else {
            status = sandbox ? "a sandbox has no steps" : "this is the last step"
        }
    }

    mutating func previousStep() {
        skipping = false
        if session.previousStep() {
            enteredStep(playing: false, ask: false)
            status = session.step == 0 ? "back at the introduction" : "back at step \(session.step), as you left it"
        } else {
            status = "already at the beginning"
        }
    }
}

extension SceneKey {
    init?(_ key: Key) {
        switch key {
        case .char(let c): self = .char(c)
        case .tab: self = .tab
        case .backTab: self = .backTab
        case .enter: self = .enter
        case .escape: self = .escape
        default: return nil
        }
    }
}
