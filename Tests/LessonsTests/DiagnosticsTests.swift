import Testing
@testable import Lessons
import Patterns

/// One test per class of mistake an author can make; each must name the place and the fix.
@Suite struct DiagnosticsTests {
    @Test func unknownCommandSuggestsTheClosestOne() {
        let p = problems(lessonText(sim("run 10ms\ncrsh n3")))
        #expect(p == ["Lessons/x.md:10:1: unknown command 'crsh' (did you mean 'crash'?)"])
    }

    @Test func columnsPointAtTheBadWord() {
        #expect(problems(lessonText(sim("crash n9"))) == ["Lessons/x.md:9:7: no node n9: this cluster has n1 … n5"])
        #expect(problems(lessonText(sim("  run 400"))) == ["Lessons/x.md:9:7: '400' needs a unit: us, ms or s (e.g. 400ms)"])
    }

    @Test func everyErrorIsReportedAtOnce() {
        let p = problems(lessonText("title: T\npattern: raft\nnodes: 999\ncolour: red", sim("crsh n1\nrun 4xs\nexpect n1 is leeder")))
        #expect(p.count == 5)
        #expect(p[0].contains("nodes must be from 1 to 101, found 999"))
        #expect(p[1] == "Lessons/x.md:5:1: unknown setting 'colour'")
        #expect(p[2].contains("unknown command 'crsh'"))
        #expect(p[3].contains("expected a duration such as 400ms, found '4xs'"))
        #expect(p[4].contains("unknown role 'leeder' (did you mean 'leader'?)"))
    }

    @Test func frontmatterMistakes() {
        #expect(problems("## Step\n").first?.contains("a lesson starts with frontmatter") == true)
        #expect(problems("---\ntitle: T\npattern: raft\n## Step\n").first?.contains("frontmatter is not closed") == true)
        #expect(problems("---\npattern: raft\n---\n## S\n") == ["Lessons/x.md:1:1: frontmatter needs 'title: …'"])
        #expect(problems("---\ntitle: T\ntitle: U\npattern: raft\n---\n## S\n") == ["Lessons/x.md:3:1: 'title' is set twice"])
        #expect(problems("---\ntitle: T\njust words\npattern: raft\n---\n## S\n").first?.contains("frontmatter lines are 'key: value'") == true)
    }

    @Test func unknownPatternSuggestsAKnownOne() {
        #expect(problems("---\ntitle: T\npattern: rfat\n---\n## S\n") == ["Lessons/x.md:3:10: unknown pattern 'rfat' (did you mean 'raft'?); known patterns: raft, clocks"])
    }

    @Test func badSettingValues() {
        #expect(problems(lessonText("title: T\npattern: raft\nelection-timeout: 300-150ms", "## S\n")).first?.contains("runs backwards") == true)
        #expect(problems(lessonText("title: T\npattern: raft\nseed: -1", "## S\n")).first?.contains("seed must be a whole number") == true)
        #expect(problems(lessonText("title: T\npattern: raft\nlatency: fast", "## S\n")).first?.contains("latency:") == true)
        #expect(problems(lessonText("title: T\npattern: raft\nheartbeat: 0ms", "## S\n")).first?.contains("heartbeat must be between") == true)
        #expect(problems(lessonText("title: T\npattern: raft\nloss: 150%", "## S\n")).first?.contains("loss must be a percentage") == true)
    }

    @Test func structuralMistakes() {
        #expect(problems(lessonText("```sim\nrun 1s\n```\n## S\n")).first?.contains("a sim block belongs in a step") == true)
        #expect(problems(lessonText("## S\n```sim\nrun 1s\n")).first?.contains("is never closed") == true)
        #expect(problems(lessonText("Only an introduction.")).first?.contains("at least one step") == true)
    }

    /// A slip in a block's word (`Sim`, `simulation`, `quizz`) made it narration: the commands
    /// were shown to students as text and never run, and `check` passed the step.
    @Test func aMisspeltBlockIsNamed() {
        for (word, meant) in [("Sim", "sim"), ("simulation", "sim"), ("sim:", "sim"), ("quizz", "quiz"), ("note", "notes"), ("experiments", "experiment"), ("experimnt", "experiment")] {
            let found = problems(lessonText("## S\n```\(word)\nrun 1s\n```\n"))
            #expect(found.first?.contains("a '```\(word)' block is shown as text in the narration; did you mean '```\(meant)'?") == true, "\(word): \(found)")
        }
        for word in ["sim", "Sim", "quiz"] {
            let found = problems(lessonText("## S\n~~~\(word)\nrun 1s\n~~~\n"))
            #expect(found.first?.contains("blocks open with ``` here: this '~~~\(word)' fence is shown as text") == true, "\(word): \(found)")
        }
        #expect(problems(lessonText("## S\n~~~text\nSELECT 1;\n~~~\n")).isEmpty)
        // Code a lesson shows on purpose stays text, without a word from `check`.
        for word in ["", "text", "txt", "bash", "sh", "console", "swift", "json", "yaml", "toml", "python", "go", "c", "diff", "markdown", "plain", "log", "ini", "sql", "http"] {
            #expect(problems(lessonText("## S\n```\(word)\nSELECT 1;\n```\n")).isEmpty, "\(word)")
        }
    }

    @Test func conditionMistakes() {
        #expect(problems(lessonText(sim("expect trem == 1"))).first?.contains("unknown query 'trem' (did you mean 'term'?)") == true)
        #expect(problems(lessonText(sim("expect n2.lgo == 1"))).first?.contains("unknown node query 'lgo' (did you mean 'log'?)") == true)
        #expect(problems(lessonText(sim("expect term 1"))).first?.contains("expected a comparison") == true)
        #expect(problems(lessonText(sim("expect"))).first?.contains("expected a condition") == true)
        #expect(problems(lessonText(sim("run until leader exists within"))).first?.contains("expected a duration") == true)
        #expect(problems(lessonText(sim("expect leader is n7"))).first?.contains("no node n7") == true)
    }

    @Test func commandArgumentMistakes() {
        #expect(problems(lessonText(sim("crash n1 n2"))) == ["Lessons/x.md:9:10: unexpected 'n2': the command was complete before it"])
        #expect(problems(lessonText(sim("partition n1 n2"))).first?.contains("a partition needs two groups") == true)
        #expect(problems(lessonText(sim("partition n1 | n1 n2"))).first?.contains("n1 is named twice") == true)
        #expect(problems(lessonText(sim("drop n1 n2 50%"))).first?.contains("expected '->' (one way) or '<->' (both ways)") == true)
        #expect(problems(lessonText(sim("drop n1 -> n1 50%"))).first?.contains("two different nodes") == true)
        #expect(problems(lessonText(sim("drop n1 -> n2 half"))).first?.contains("percentage") == true)
        #expect(problems(lessonText(sim("request"))).first?.contains("(usage: request KEY=VALUE [to nK])") == true)
        #expect(problems(lessonText(sim("event n1 \"unterminated"))).first?.contains("unterminated string") == true)
    }

    @Test func untrustedLessonsAreBounded() {
        #expect(problems(lessonText(sim("run 11min"))).isEmpty == false)
        #expect(problems(lessonText(sim("run 601s"))).first?.contains("at most 10 minutes") == true)
        #expect(problems(lessonText("title: T\npattern: raft\nnodes: 102", "## S\n")).first?.contains("from 1 to 101") == true)
        #expect(problems(lessonText("title: T\npattern: clocks\nnodes: 16", "## S\n")).first?.contains("from 1 to 15") == true)
        // Every part of a `run until` is asked after every event: a condition has a size limit.
        let sixteen = Array(repeating: "term >= 0", count: 16).joined(separator: " and ")
        #expect(problems(lessonText(sim("run until \(sixteen) within 1s"))).isEmpty)
        let long = problems(lessonText(sim("run until \(sixteen) and term > 99 within 1s")))
        #expect(long.first?.contains("a condition joins at most 16 parts with 'and'") == true)
        #expect(long.first?.hasPrefix("Lessons/x.md:9:\(11 + 16 * 14 - 4):") == true, "\(long)")
        let huge = lessonText(String(repeating: "x", count: LessonDocument.maxBytes))
        #expect(problems(huge).first?.contains("larger than") == true)
    }

    @Test func patternCommandsAreLearnedFromThePattern() {
        // `request` and `timeout` are Raft's; the generic table does not list them.
        #expect(problems(lessonText(sim("request x=1\ntimeout n2\nelection-timeout 150-300ms"))).isEmpty)
        let names = CommandTable<Raft>.entries.map(\.name)
        for spec in Raft.commands { #expect(names.contains(spec.name)) }
    }

    @Test func commentsAndBlankLinesAreIgnored() {
        #expect(problems(lessonText(sim("# a comment\n\nrun 10ms   # trailing comment"))).isEmpty)
    }
}

/// Numbers in a lesson that once trapped the process now get a message (issue 9, §1).
@Suite struct ExtremeLessonNumberTests {
    @Test(arguments: [
        ("workload: 1e-300", "workload must be 0 (none) or from 0.001 to 1000"),
        ("workload: nan", "workload must be 0 (none)"),
        ("workload: inf", "workload must be 0 (none)"),
    ])
    func extremeSettings(_ setting: String, _ fragment: String) {
        let text = lessonText("title: T\npattern: clocks\n\(setting)", sim("run 1s"))
        #expect(problems(text).joined().contains(fragment), "\(problems(text))")
    }

    @Test(arguments: [
        ("drift n1 -9223372036854775808ppm", "at most ±500000ppm"),
        ("drift n1 9223372036854775807ppm", "at most ±500000ppm"),
        ("skew n1 -9223372036854775808us", "more than a day back"),
        ("step-clock n1 -9223372036854775807us", "more than a day back"),
    ])
    func extremeCommands(_ line: String, _ fragment: String) {
        let text = lessonText("title: T\npattern: clocks", sim(line + "\nrun 1s"))
        let found = problems(text)
        #expect(!found.isEmpty, "\(line) accepted")
        #expect(found.joined().contains(fragment))
    }
}

/// Durations, shares and workloads are plain decimals: exponents, hex, nan and inf each got a
/// confusing message (or were quietly accepted) before.
/// Lessons the parser accepts that used to run away (the hostile review of issue 9): each now
/// stops at a limit, with the line that hit it.
@Suite struct RunawayLessonTests {
    func failure(_ frontmatter: String, _ script: String) -> String? {
        guard case .success(let lesson) = CompiledLesson<Raft>.compile(document(lessonText(frontmatter, sim(script)))) else { return "did not compile" }
        return LessonRun<Raft>.check(lesson).failure
    }

    @Test func messagesPilingUpOnTheWireStopTheRun() {
        let f = failure("title: T\npattern: raft\nnodes: 15\nlatency: 10s\nelection-timeout: 1ms\nduplicate: 100%", "run 600s")
        #expect(f?.contains("messages on the wire at once (the simulator's limit)") == true, "\(f ?? "")")
    }

    @Test func aCostlyConditionStopsTheRun() {
        let parts = Array(repeating: "leaders >= 0 and term >= 0", count: 7).joined(separator: " and ")
        let f = failure("title: T\npattern: raft\nnodes: 101\nheartbeat: 1ms", "run until \(parts) and leaders > 5 within 5s")
        #expect(f?.contains("node checks for its 'run until' conditions") == true, "\(f ?? "nil")")
    }

    @Test func aMillionEventsIsTheDefaultLimit() {
        let f = failure("title: T\npattern: raft\nnodes: 3\nelection-timeout: 1ms-1ms", "run 600s")
        #expect(f?.contains("limit of 1000000 events") == true, "\(f ?? "")")
    }

    /// Faults that change nothing are the author's mistake, reported at their line; so are
    /// requests that are not one key=value and shares over 100%.
    @Test func faultsThatChangeNothingAndMalformedValuesAreReported() {
        #expect(failure("title: T\npattern: raft", "crash n1\ncrash n1")?.contains("n1 is already crashed") == true)
        #expect(failure("title: T\npattern: raft", "restart n2")?.contains("n2 is running; restart only a crashed node") == true)
        #expect(failure("title: T\npattern: raft", "resume n2")?.contains("n2 is not paused") == true)
        #expect(failure("title: T\npattern: raft", "crash n3\npause n3 1s")?.contains("only a running node can pause") == true)
        for bad in ["request =", "request x=1=2", "request x"] {
            #expect(problems(lessonText(sim(bad))).first?.contains("a request is one key=value") == true, "\(bad)")
        }
        #expect(problems(lessonText("title: T\npattern: raft\nloss: 101%", sim("run 1s"))).first?.contains("from 0% to 100%") == true)
        #expect(problems(lessonText(sim("expect term == 1.0"))).first?.contains("conditions compare whole numbers; found '1.0'") == true)
        #expect(problems(lessonText("title: T\npattern: clocks", sim("expect e0 -> e1"))).first?.contains("no event e0: events are numbered from e1") == true)
    }

    /// `loss P%` sets the network-wide loss mid-lesson (gossip and failure-detection lessons
    /// need it): all of it, and no leader is ever elected.
    @Test func lossEverywhereMidLesson() {
        #expect(failure("title: T\npattern: raft\nseed: 3", "loss 100%\nrun 3s\nexpect no leader\nexpect elections > 3") == nil)
        #expect(failure("title: T\npattern: raft\nseed: 3", "loss 100%\nrun 1s\nloss 0%\nrun until leader exists within 3s") == nil)
        #expect(problems(lessonText(sim("loss 101%"))).first?.contains("percentage from 0% to 100%") == true)
    }

    /// Only SWIM waits for acks: a short heartbeat interval is fine, and SWIM's mistake is
    /// reported at the line that made it (it was line 0).
    @Test func ackTimeoutIsSWIMsAndReportedWhereWritten() {
        func membership(_ front: String) -> [String] {
            guard case .failure(let d) = CompiledLesson<Membership>.compile(document(lessonText(front, sim("run 1s")))) else { return [] }
            return d.all.map(\.description)
        }
        #expect(membership("title: T\npattern: membership\ndetector: heartbeat\ninterval: 10ms").isEmpty)
        let swim = membership("title: T\npattern: membership\ninterval: 100ms")
        #expect(swim.first?.hasPrefix("Lessons/x.md:4:") == true && swim.first?.contains("ack-timeout must be shorter") == true, "\(swim)")
    }

    @Test func aReplicaHoldsABoundedNumberOfKeys() {
        let puts = (0...ClockNode.maxKeys).map { "put n1 k\($0)=1" }.joined(separator: "\n")
        guard case .success(let lesson) = CompiledLesson<Clocks>.compile(document(lessonText("title: T\npattern: clocks\nnodes: 2", sim(puts)))) else {
            Issue.record("did not compile"); return
        }
        let f = LessonRun<Clocks>.check(lesson).failure
        #expect(f?.contains("already holds \(ClockNode.maxKeys) keys") == true, "\(f ?? "")")
    }
}

@Suite struct PlainDecimalTests {
    @Test(arguments: [
        ("", "run 1e-300ms", "write a duration as a plain decimal with a unit"),
        ("", "run 1e309ms", "write a duration as a plain decimal with a unit"),
        ("", "run 0x10ms", "(no exponents or hex), found '0x10ms'"),
        ("", "drop n1 -> n2 0x10%", "expected a percentage from 0% to 100%, found '0x10%'"),
        ("", "crash n1 n2", "unexpected 'n2': the command was complete before it"),
        ("election-timeout: 1e-300ms", "run 1s", "election-timeout: write a duration as a plain decimal"),
        ("order: abc", "run 1s", "order must be a whole number, found 'abc'"),
        ("nodes: 5 # five", "run 1s", "(a comment in the frontmatter goes on a line of its own, starting with #)"),
    ])
    func notPlainDecimals(_ setting: String, _ line: String, _ fragment: String) {
        let text = lessonText("title: T\npattern: raft" + (setting.isEmpty ? "" : "\n" + setting), sim(line))
        #expect(problems(text).joined().contains(fragment), "\(problems(text))")
    }

    @Test func workloadsAreDecimalsToo() {
        for raw in ["0x10", "1e2"] {
            let text = lessonText("title: T\npattern: clocks\nworkload: \(raw)", sim("run 1s"))
            #expect(problems(text).joined().contains("workload must be 0 (none) or from 0.001 to 1000"), "\(raw)")
        }
        #expect(problems(lessonText("title: T\npattern: clocks\nworkload: .5", sim("run .5s"))).isEmpty)
    }
}

@Suite struct OversizedNumberMessageTests {
    @Test(arguments: [
        ("nodes: 99999999999999999999", "", "nodes must be from 1 to 101, found '99999999999999999999', a number too large to hold"),
        ("seed: 99999999999999999999999", "", "seed must be from 0 to 18446744073709551615"),
        ("", "expect term == 99999999999999999999", "is too large a number"),
    ])
    func hugeNumbersSaySo(_ setting: String, _ line: String, _ fragment: String) {
        let text = lessonText("title: T\npattern: raft" + (setting.isEmpty ? "" : "\n" + setting), sim(line.isEmpty ? "run 1ms" : line))
        #expect(problems(text).joined().contains(fragment), "\(problems(text))")
    }
}

@Suite struct SelfMessageTests {
    @Test func aReplicaDoesNotSyncWithItself() {
        let text = lessonText("title: T\npattern: clocks", sim("sync n1 -> n1 \"s\""))
        #expect(problems(text).joined().contains("a replica does not sync with itself"))
    }
}

@Suite struct HostileInputTests {
    @Test func escapeSequencesInALessonAreShownNotSent() {
        let text = lessonText("title: T\npattern: raft", sim("cr\u{1B}]0;PWNED\u{07}sh n1"))
        let out = problems(text).joined()
        #expect(!out.contains("\u{1B}") && !out.contains("\u{07}"))
        #expect(out.contains("\\u{1B}"))
    }

    @Test func windowsLineEndingsAreTheSameLesson() {
        let text = lessonText("title: T\npattern: raft\nseed: 6", sim("run until leader exists")).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(problems(text).isEmpty, "\(problems(text))")
    }
}
