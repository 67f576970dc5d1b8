import ArgumentParser
import App
import Canvas
import Foundation
import Lessons
import Patterns
import Terminal

/// Options shared by the commands that open the full-screen player.
struct ScreenOptions: ParsableArguments {
    @Flag(help: "Use ASCII glyphs only (automatic when the locale is not UTF-8).") var ascii = false
}

struct Menu: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the lesson menu (the default when no command is given).", version: ClusterTutor.version)
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        try requireTerminal("clustertutor")
        let menu = MenuState(entries: LessonSource.builtin.map(MenuEntry.init))
        try runInteractive(.menu(menu), screen, positions: LessonPositions())
    }
}

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play one lesson in the full-screen player.", version: ClusterTutor.version)
    @Argument(help: "A built-in lesson's name or a lesson file's path.") var lesson: String
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        // The lesson first: a typo or a broken file is worth hearing about even without a terminal.
        let document = try loadOrExit(lesson)
        let session = try openOrExit(document, step: 0, interactive: true)
        try requireTerminal("clustertutor play")
        // `m` leads to the menu of built-in lessons, as it does from a lesson opened there.
        let positions = LessonPositions()
        var player = PlayerState(session: session, experiments: .background)
        player.offerResume(positions.load())
        try runInteractive(.player(player), screen, menu: MenuState(entries: LessonSource.builtin.map(MenuEntry.init)), positions: positions)
    }
}

struct Sandbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Free play with a pattern: crash, isolate, heal, send requests.", version: ClusterTutor.version)
    @Argument(help: "The pattern (\(Catalog.patterns.map { $0.name }.joined(separator: ", ")))." ) var pattern: String
    @Option(parsing: .unconditional, help: "Cluster size (default: the pattern's own, 5 for raft and clocks, 200 for gossip; at most 15 for raft and clocks, 1000 for gossip).") var nodes: Int?

    @Option(parsing: .unconditional, help: "Seed of the random generator.") var seed: UInt64 = 1
    @Option(name: .customLong("set"), help: ArgumentHelp("A lesson setting, e.g. --set election-timeout=150-300ms.", valueName: "key=value"))
    var settings: [String] = []
    @OptionGroup var screen: ScreenOptions

    func run() throws {
        guard let scene = Catalog.scene(named: pattern) else {
            let names = Catalog.patterns.map { $0.name }
            throw usageError(Sandbox.self, "unknown pattern '\(pattern)'; known patterns: \(names.joined(separator: ", "))")
        }
        let allowed = scene.limits.playerNodes
        // A pattern that names its nodes (services) takes no count: its settings say who is there.
        let named = (try? scene.topology(Settings(), nodes: 5))?.numbered == false
        if named, self.nodes != nil || settings.contains(where: { $0.hasPrefix("nodes=") }) {
            throw usageError(Sandbox.self, "\(pattern) names its nodes, so it takes no --nodes; say who is there with --set services=… (see Lessons/README.md)")
        }
        // Without --nodes, the pattern's sandbox default (a gossip sandbox of 5 says little).
        let nodes = self.nodes ?? scene.sandboxDefaults.first { $0.key == "nodes" }.flatMap { Int($0.value) } ?? 5
        guard named || allowed.contains(nodes) else {
            throw usageError(Sandbox.self, "--nodes must be from \(allowed.lowerBound) to \(allowed.upperBound) for \(pattern), found \(nodes)")
        }
        var pairs: [(String, String)] = []
        for s in settings {
            guard let eq = s.firstIndex(of: "=") else { throw usageError(Sandbox.self, "--set takes key=value, found '\(s)'") }
            let key = String(s[..<eq]), value = String(s[s.index(after: eq)...])
            // The pairs become a lesson's settings: each must be one word = one line, or it
            // would be read as something else (or as more lines of the lesson).
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw usageError(Sandbox.self, "a setting's name is one word (letters, digits, -), found '\(key)' in --set \(s)")
            }
            guard !value.contains(where: { $0.isNewline }), !value.isEmpty else {
                throw usageError(Sandbox.self, "a setting's value is one non-empty line, found '\(value)' in --set \(s)")
            }
            if pairs.contains(where: { $0.0 == key }) { throw usageError(Sandbox.self, "setting '\(key)' is given twice with --set") }
            if key == "title" || key == "pattern" { throw usageError(Sandbox.self, "a sandbox sets its own \(key); the pattern is the first argument") }
            pairs.append((key, value))
        }
        if let raw = pairs.first(where: { $0.0 == "nodes" })?.1, !(Int(raw).map(allowed.contains) ?? false) {
            throw usageError(Sandbox.self, "setting nodes must be from \(allowed.lowerBound) to \(allowed.upperBound) for \(pattern) in a sandbox (every node is drawn), found '\(raw)'")
        }
        // --set nodes=… and --set seed=… are settings like any other; the flags fill in the rest.
        if !named, !pairs.contains(where: { $0.0 == "nodes" }) { pairs.insert(("nodes", String(nodes)), at: 0) }
        if !pairs.contains(where: { $0.0 == "seed" }) { pairs.insert(("seed", String(seed)), at: min(1, pairs.count)) }
        let document = Catalog.sandboxDocument(pattern: pattern, settings: pairs)
        // Validate before touching the terminal, so mistakes print plainly, as the flags they came from.
        guard case .success(let session) = Catalog.open(document, atStep: 1, interactive: true) else {
            if case .failure(let d) = Catalog.open(document, atStep: 1, interactive: true) {
                for problem in d.all { FileHandle.standardError.write("clustertutor sandbox: \(problem.message) (check --set)\n".data(using: .utf8)!) }
            }
            throw ExitCode(64)
        }
        try requireTerminal("clustertutor sandbox")
        var player = PlayerState(session: session, sandbox: true, experiments: .background)
        player.status = scene.sandboxHint
        try runInteractive(.player(player), screen)
    }
}

func requireTerminal(_ command: String) throws {
    guard Terminal.isInteractive else {
        FileHandle.standardError.write("""
        \(command) needs an interactive terminal (standard input and output must be a TTY).
        Without one, use the headless commands:
          clustertutor list                      the built-in lessons
          clustertutor check [PATH...]           run and verify lessons
          clustertutor render LESSON --step K    print a screen as text

        """.data(using: .utf8)!)
        throw ExitCode(2)
    }
    if let why = Terminal.unusableTerminalReason() {
        FileHandle.standardError.write("\(command): \(why).\n".data(using: .utf8)!)
        throw ExitCode(2)
    }
}

/// The loop: draw, wait for a key (blocking while paused), update. The terminal is restored on
/// quit, on a termination signal and on a thrown error; crash signals restore it in the shim.
func runInteractive(_ screen: AppModel.Screen, _ options: ScreenOptions, menu: MenuState? = nil, positions: LessonPositions? = nil,
                    idleWait: Int32 = -1, perform: (AppEffect) -> Void = { _ in },
                    onFrame: (AppModel) -> Void = { _ in }) throws {
    let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    let terminal = Terminal(asciiRequested: options.ascii, noColor: noColor)
    terminal.start()
    var exitSignal: Int32 = 0
    let size = terminal.size
    var model = AppModel(screen: screen, width: size.width, height: size.height, glyphs: terminal.glyphs, menu: menu)
    model.positions = positions?.load() ?? [:]
    var last = monotonicMicros()
    // Lessons opened from the menu run their experiments off the frame, as these did.
    model.experimentMode = .background
    let experiments = ExperimentWorker()
    // For the launch-to-first-frame benchmark only: quit as soon as one frame is on screen.
    let quitAfterFirstFrame = ProcessInfo.processInfo.environment["CLUSTERTUTOR_QUIT_AFTER_FIRST_FRAME"] == "1"
    // For the end-to-end test of the crash path only: a real runtime trap after the first frame.
    let trapAfterFirstFrame = ProcessInfo.processInfo.environment["CLUSTERTUTOR_TEST_TRAP"] == "1"
    while !model.quit {
        for msg in experiments.messages(for: model.pendingExperiment) { model.update(msg) }
        terminal.draw(model.view())
        if quitAfterFirstFrame { break }
        if trapAfterFirstFrame { fatalError("trap requested by CLUSTERTUTOR_TEST_TRAP") }
        let wasTicking = model.wantsTicks
        // Everything already typed is handled before the next frame is drawn: a paste or a held
        // key costs one frame, not one frame a key, so q behind a thousand keys is seconds, not
        // minutes, away.
        onFrame(model)
        // A running experiment's progress is drawn a few times a second, even when paused.
        let wait: Int32 = model.wantsTicks ? 33 : experiments.busy ? (idleWait < 0 ? 100 : min(100, idleWait)) : idleWait
        var event = terminal.read(timeoutMilliseconds: wait)
        var handled = 0
        while let e = event, !model.quit {
            switch e {
            case .signal(let s):
                exitSignal = s
                model.quit = true
            case .resize(let w, let h):
                model.update(.resize(width: w, height: h))
            case .redraw:
                terminal.invalidate()
            case .key(let k):
                model.update(.key(Key(k)))
            }
            handled += 1
            // Not one key past a quit: what is typed after q belongs to the shell (it lost the
            // first letter of the next command).
            guard handled < 4_096, !model.quit else { break }
            event = terminal.read(timeoutMilliseconds: 0)
        }
        // Time passes for every screen (the quiz times answers); the player only uses it while
        // playing. A frame's share is capped so a stall (a suspended process) does not jump ahead.
        let now = monotonicMicros()
        // Play that starts now starts from now: the time spent paused before the key is not
        // played at once (it made every step open with a 10 ms jump past its first messages).
        let elapsed = !model.wantsTicks ? now - last : wasTicking ? min(now - last, 200_000) : 0
        // Not after a quit: a saturated cluster's frame of simulation (20,000 events) would
        // stand between the key and the exit.
        if !model.quit { model.update(.tick(elapsed)) }
        last = now
        for effect in model.effects {
            if case .savePosition = effect { positions?.save(model.positions) } else { perform(effect) }
        }
        model.effects.removeAll()
    }
    terminal.stop()
    if exitSignal != 0 { throw ExitCode(128 + exitSignal) }
    if model.interrupted { throw ExitCode(130) }
}

func monotonicMicros() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000
}

extension Key {
    init(_ k: TerminalKey) {
        switch k {
        case .char(let c): self = .char(c)
        case .left: self = .left
        case .right: self = .right
        case .up: self = .up
        case .down: self = .down
        case .pageUp: self = .pageUp
        case .pageDown: self = .pageDown
        case .home: self = .home
        case .end: self = .end
        case .enter: self = .enter
        case .escape: self = .escape
        case .tab: self = .tab
        case .backTab: self = .backTab
        case .backspace: self = .backspace
        case .interrupt: self = .interrupt
        case .function(let n): self = .function(n)
        }
    }
}
