import Foundation
import Patterns
import Quiz
import Simulation

/// A lesson checked against its pattern: every `sim` line compiled, settings validated.
public struct CompiledLesson<P: Pattern>: Sendable {
    public struct Step: Sendable {
        public var title: String
        public var line: Int
        public var narration: [String]
        public var script: [Located<Instruction<P>>]
        public var quizzes: [LessonQuiz]
        /// Speaker notes: the teacher's, never shown to the class.
        public var notes: [String] = []
        /// The step's `experiment` block, as written (run by the player and by `check`).
        public var experiment: String?
    }

    public var document: LessonDocument
    public var nodes: Int
    public var topology: Topology
    public var seed: UInt64
    public var network: Network
    public var config: P.Node.Config
    public var steps: [Step]

    public var title: String { document.title }

    /// The cluster as it stands before the first step.
    public func makeCluster(journal mode: Journal<P.Node.Message>.Mode = .everything) -> Cluster<P.Node> {
        P.makeCluster(size: nodes, config: config, seed: seed, network: network, journal: Journal(mode), topology: topology)
    }

    /// Settings every lesson may give, whatever its pattern.
    public static var commonSettings: [SettingSpec] {
        [
            SettingSpec("title", example: "Raft: the first election", help: "shown in menus and the status line"),
            SettingSpec("pattern", example: P.name, help: "which simulation the lesson drives"),
            SettingSpec("order", example: "10", help: "where the lesson sits in the menu (smaller first)"),
            SettingSpec("summary", example: "One line for the menu", help: "defaults to the introduction's first sentence"),
            SettingSpec("nodes", example: "5", help: "cluster size (\(P.limits.playerNodes.upperBound) at most in the player, \(P.limits.headlessNodes.upperBound) headless, for \(P.name))"),
            SettingSpec("seed", example: "7", help: "seed of the one random generator"),
            SettingSpec("latency", example: "10-15ms", help: "message latency: fixed, a range, or 'exp 12ms'"),
            SettingSpec("loss", example: "0%", help: "share of all messages lost"),
            SettingSpec("duplicate", example: "0%", help: "share of all messages delivered twice"),
            SettingSpec("timer-jitter", example: "1ms", help: "how late a timer may fire (scheduling delay); 0 by default"),
            SettingSpec("processing", example: "0.1-0.5ms", help: "time a node spends on each message (others wait meanwhile); none by default"),
        ]
    }

    /// Compiles `document` for pattern `P`; returns every problem found, not just the first.
    public static func compile(_ document: LessonDocument, defaultNodes: Int = 5) -> Result<CompiledLesson<P>, Diagnostics> {
        var problems = document.diagnostics
        let s = document.settings
        problems += s.unknownKeys(known: (commonSettings + P.settings).map(\.key))
        func attempt<T>(_ body: () throws(Diagnostic) -> T, or fallback: T) -> T {
            do { return try body() } catch { problems.append(error); return fallback }
        }
        let count = attempt({ () throws(Diagnostic) -> Int in
            try s.integer("nodes", default: defaultNodes, in: P.limits.headlessNodes) }, or: defaultNodes)
        let topology = attempt({ () throws(Diagnostic) -> Topology in try P.topology(s, nodes: count) }, or: .numbered(count))
        let nodes = topology.count
        let seed = attempt({ () throws(Diagnostic) -> UInt64 in
            guard let raw = s["seed"] else { return 1 }
            guard let v = UInt64(raw) else {
                let why = Words.isOversizedInteger(raw) && raw.first != "-" ? "seed must be from 0 to \(UInt64.max), found '\(raw)'"
                                                                            : "seed must be a whole number ≥ 0, found '\(raw)'"
                throw s.fail("seed", why)
            }
            return v
        }, or: 1)
        // Only the menu reads `order`, but a value it cannot read is still a mistake to report.
        _ = attempt({ () throws(Diagnostic) -> Int in try s.integer("order", default: 1_000, in: -1_000_000...1_000_000) }, or: 0)
        var network = Network()
        network.latency = attempt({ () throws(Diagnostic) -> Latency in try latency(s) }, or: network.latency)
        network.lossPPM = attempt({ () throws(Diagnostic) -> Int in try s.percent("loss", default: 0) }, or: 0)
        network.duplicatePPM = attempt({ () throws(Diagnostic) -> Int in try s.percent("duplicate", default: 0) }, or: 0)
        // The realism experiments need (real timers fire late, real servers take time per message).
        network.timerJitter = attempt({ () throws(Diagnostic) -> SimTime in try s.duration("timer-jitter", default: 0, in: 0...1_000_000) }, or: 0)
        if s["processing"] != nil {
            network.processing = attempt({ () throws(Diagnostic) -> ClosedRange<SimTime>? in try s.range("processing", default: 0...0, in: 0...1_000_000) }, or: nil)
        }
        let config = attempt({ () throws(Diagnostic) -> P.Node.Config? in try P.config(s, topology: topology) }, or: nil)

        var steps: [Step] = []
        let vocabulary = CommandTable<P>.entries
        for docStep in document.steps {
            var script: [Located<Instruction<P>>] = []
            for line in docStep.sim {
                switch compileLine(line.text, topology: topology, settings: s, vocabulary: vocabulary) {
                case .success(let i?): script.append(Located(value: i, line: line.line, source: line.text.trimmingCharacters(in: .whitespaces)))
                case .success(nil): break
                case .failure(var d):
                    d.line = line.line
                    problems.append(d)
                }
            }
            steps.append(Step(title: docStep.title, line: docStep.line, narration: docStep.narration, script: script,
                              quizzes: docStep.quizzes, notes: docStep.notes, experiment: docStep.experiments.first?.text))
        }
        for i in problems.indices { problems[i].file = document.file }
        guard problems.isEmpty, let config else { return .failure(Diagnostics(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })) }
        return .success(CompiledLesson(document: document, nodes: nodes, topology: topology, seed: seed, network: network,
                                       config: config, steps: steps))
    }

    /// The `latency:` setting, read by the same reader as the `latency` command.
    static func latency(_ s: Settings) throws(Diagnostic) -> Latency {
        guard let raw = s["latency"] else { return Network().latency }
        let e = s.entries["latency"]!
        do throws(Diagnostic) {
            guard case .success(let tokens) = tokenize(raw) else { throw Diagnostic(line: 0, column: 1, "unreadable value '\(raw)'") }
            var w = Words(tokens, endColumn: raw.count + 1, clusterSize: 0)
            let l = try CommandTable<P>.latencyValue(&w)
            try w.finish()
            return l
        } catch {
            throw Diagnostic(line: e.line, column: e.column, "latency: \(error.message) (fixed 12ms, a range 10-15ms, or 'exp 12ms')")
        }
    }

    /// nil for a blank or comment line.
    static func compileLine(_ text: String, topology: Topology, settings: Settings = Settings(),
                            vocabulary: [CommandTable<P>.Entry]) -> Result<Instruction<P>?, Diagnostic> {
        let tokens: [Token]
        switch tokenize(text) {
        case .success(let t): tokens = t
        case .failure(let d): return .failure(d)
        }
        guard let head = tokens.first else { return .success(nil) }
        guard let entry = vocabulary.first(where: { $0.name == head.text }) else {
            return .failure(Diagnostic(line: 0, column: head.column,
                                       "unknown command '\(head.text)'" + didYouMean(head.text, vocabulary.map(\.name))))
        }
        var words = Words(Array(tokens.dropFirst()), endColumn: text.count + 1, topology: topology)
        words.settings = settings
        do {
            let instruction = try entry.parse(&words)
            try words.finish()
            return .success(instruction)
        } catch {
            var d = error
            if d.message.hasPrefix("expected") && words.isAtEnd { d.message += " (usage: \(entry.usage))" }
            return .failure(d)
        }
    }
}
