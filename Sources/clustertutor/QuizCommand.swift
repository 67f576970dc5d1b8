import ArgumentParser
import App
import Foundation
import Quiz
import QuizStore

extension Question.Topic: ExpressibleByArgument {}
extension Era: ExpressibleByArgument {}

struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Drill the numbers system design runs on: latencies, units, sizes, estimates.",
        discussion: """
        Answers are typed as people write them: 150us, 0.15ms, 2 KB, 3x10^7, 12k, ~10^5.
        Within 2x is right, within 10x the right order of magnitude. Missed facts come back sooner,
        across runs: progress is kept in $XDG_STATE_HOME/clustertutor/ (default ~/.local/state/clustertutor/).
        """,
        version: ClusterTutor.version)

    @Flag(help: "Ask line by line on standard input and output (pipes, ssh, screen readers).") var plain = false
    @Option(help: "latency, units, sizes, estimate, or all.") var topic: String = "all"
    @Option(parsing: .unconditional, help: "How many questions.") var count = 10
    @Option(parsing: .unconditional, help: "Seed for a reproducible set of questions (default: a new one each run, printed).") var seed: UInt64?
    @Option(help: "Which latency list: 2012 (Dean/Norvig) or 2020 (Colin Scott's page).") var era: Era = .y2012
    @Flag(help: "Forget all quiz progress, then exit.") var reset = false
    @OptionGroup var screen: ScreenOptions

    func validate() throws {
        guard (1...200).contains(count) else { throw ValidationError("--count must be 1…200") }
        guard topic == "all" || Question.Topic(rawValue: topic) != nil else {
            throw ValidationError("unknown topic '\(topic)'; topics: latency, units, sizes, estimate, all")
        }
    }

    func run() throws {
        let store = ProgressStore(directory: ProgressStore.defaultDirectory())
        if reset {
            do { try store.reset() } catch { throw ValidationError("\(error)") }
            print("Quiz progress cleared (\(store.file.path)).")
            return
        }
        var options = QuizSession.Options()
        options.topics = topic == "all" ? Set(Question.Topic.allCases) : [Question.Topic(rawValue: topic)!]
        options.era = era
        options.count = count
        options.seed = seed ?? UInt64(truncatingIfNeeded: monotonicMicros() ^ Int64(getpid()) << 32)
        var notice: String?
        var progress = QuizProgress()
        var saving = true
        do {
            let (p, warning) = try store.load()
            progress = p
            notice = warning
        } catch {
            saving = false
            notice = "warning: progress cannot be read or saved this time (\(error))"
        }
        let session = QuizSession(options: options, progress: progress)
        // Answers are saved a few at a time and when the quiz ends, not one by one: each save
        // is a locked read, rewrite and fsync of the whole file, which a long history makes big.
        var pending: [(AnswerRecord, Int)] = []
        func flush() -> String? {
            guard saving, !pending.isEmpty else { return nil }
            defer { pending.removeAll() }
            do {
                try store.update { p in
                    for (answer, number) in pending {
                        p.sessions = max(p.sessions, number)
                        p.record(item: answer.item, title: answer.title, grade: answer.grade, session: number)
                    }
                }
                return nil
            } catch {
                return "warning: \(pending.count) answer(s) could not be saved (\(error))"
            }
        }
        let record: (AnswerRecord, Int) -> String? = { answer, number in
            pending.append((answer, number))
            return pending.count >= Self.answersPerSave ? flush() : nil
        }
        if plain {
            runPlain(session, notice: notice, record: record)
            if let warning = flush() { print(warning) }
        } else {
            try requireTerminal("clustertutor quiz")
            defer { if let warning = flush() { FileHandle.standardError.write((warning + "\n").data(using: .utf8)!) } }
            try runInteractive(.quiz(QuizState(session: session, notice: notice)), screen) { effect in
                if case let .recordAnswer(answer, number) = effect { _ = record(answer, number) }
            }
        }
    }

    static let answersPerSave = 5

    /// One question at a time on stdin/stdout. An unreadable answer is explained and asked again.
    func runPlain(_ start: QuizSession, notice: String?, record: (AnswerRecord, Int) -> String?) {
        var session = start
        if let notice { FileHandle.standardError.write((notice + "\n").data(using: .utf8)!) }
        let topics = session.options.topics.count == Question.Topic.allCases.count ? "all" : session.options.topics.map(\.rawValue).sorted().joined(separator: ", ")
        print("ClusterTutor quiz: \(counted(session.options.count, "question")), topics \(topics), era \(session.options.era.rawValue), seed \(session.options.seed).")
        print("Type an answer and press Enter. 'skip' skips a question, 'quit' ends the quiz.")
        var shown = -1
        var started = monotonicMicros()
        while let q = session.current {
            if shown != session.asked {
                shown = session.asked
                print("")
                print("Question \(session.asked) of \(session.options.count) (\(q.topic.rawValue))")
                for line in q.prompt { print(line) }
                started = monotonicMicros()
            }
            print("> ", terminator: "")
            fflush(nil)   // all streams: the prompt must show before we block on input
            guard let (line, cut) = readBoundedLine() else { print(""); break }
            if cut { print("That is far too long to be an answer; try again."); continue }
            let text = line.trimmingCharacters(in: .whitespaces)
            // A terminal echoes what was typed; a pipe does not, so a transcript would lose it.
            if isatty(0) == 0 { print(text) }
            if text == "quit" || text == "q" { break }
            if text == "skip" { session.skip(); print("Skipped."); continue }
            switch session.answer(text, seconds: Double(monotonicMicros() - started) / 1e6) {
            case .unreadable(let p):
                print("I could not read that: \(p.message). Try again.")
            case let .marked(m, answer, explanation):
                print("\(m.grade.label.prefix(1).uppercased() + m.grade.label.dropFirst()): \(m.verdict).")
                for l in explanation { print(l) }
                if let warning = record(answer, session.session) { print(warning) }
            }
        }
        print("")
        for line in session.summary(stored: session.progress) { print(line) }
    }
}

/// A line of standard input, kept to `limit` bytes: the rest of a longer line is read and
/// thrown away, so one enormous line (a file piped in by mistake) costs no memory. Nil at the
/// end of input; `cut` says the line was longer than the limit.
func readBoundedLine(limit: Int = 4_096) -> (String, cut: Bool)? {
    var bytes: [UInt8] = []
    var cut = false
    while true {
        let c = getchar()
        if c == EOF { if bytes.isEmpty && !cut { return nil }; break }
        if c == 10 { break }
        if bytes.count < limit { bytes.append(UInt8(c)) } else { cut = true }
    }
    if bytes.last == 13 { bytes.removeLast() }
    return (String(decoding: bytes, as: UTF8.self), cut)
}
