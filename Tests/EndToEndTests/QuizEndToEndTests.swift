import Foundation
import Testing

@Suite(.serialized) struct QuizEndToEndTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxDriver.binary), "no binary at \(TmuxDriver.binary)")
    }

    func stateDirectory() -> String {
        let dir = NSTemporaryDirectory() + "ct-quiz-e2e-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func progress(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/clustertutor/quiz-progress.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func answered(_ p: [String: Any]) -> Int {
        (p["items"] as! [String: [String: Any]]).values.map { ($0["right"] as! Int) + ($0["close"] as! Int) + ($0["wrong"] as! Int) }.reduce(0, +)
    }

    @Test func plainQuizThroughAPipe() throws {
        let dir = stateDirectory()
        let env = ["XDG_STATE_HOME": dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let r = try runBinary(["quiz", "--plain", "--topic", "sizes", "--count", "3", "--seed", "2"], environment: env,
                              input: "lots\n16\n8\nskip\n")
        #expect(r.status == 0)
        #expect(r.output.contains("ClusterTutor quiz: 3 questions, topics sizes, era 2012, seed 2."))
        #expect(r.output.contains("I could not read that:"))
        #expect(r.output.contains("Question 3 of 3"))
        #expect(r.output.contains("Score:"))
        #expect(r.output.contains("Time per answer:"))
        // Every readable answer was saved as it was given.
        let grades = r.output.components(separatedBy: "\n").filter { $0.hasPrefix("Right:") || $0.hasPrefix("Wrong:") || $0.hasPrefix("Right order") }
        #expect(answered(try progress(dir)) == grades.count)
        #expect(grades.count == 2)
        // --reset forgets it.
        let reset = try runBinary(["quiz", "--reset"], environment: env, input: "")
        #expect(reset.output.contains("Quiz progress cleared"))
        #expect(answered(try progress(dir)) == 0)     // an empty progress, written in its place
    }

    @Test func badOptionsAreRefusedPlainly() throws {
        let r = try runBinary(["quiz", "--plain", "--topic", "latncy"], environment: ["XDG_STATE_HOME": stateDirectory()], input: "")
        #expect(r.status == 64)
        #expect(r.output.contains("unknown topic 'latncy'; topics: latency, units, sizes, estimate, all"))
        let era = try runBinary(["quiz", "--plain", "--era", "1999"], environment: ["XDG_STATE_HOME": stateDirectory()], input: "")
        #expect(era.status == 64)
    }

    @Test func aCorruptProgressFileIsSetAsideNotFatal() throws {
        let dir = stateDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/clustertutor", withIntermediateDirectories: true)
        try Data([0xff, 0x00, 0x7b]).write(to: URL(fileURLWithPath: dir + "/clustertutor/quiz-progress.json"))
        let r = try runBinary(["quiz", "--plain", "--topic", "units", "--count", "1", "--seed", "1"],
                              environment: ["XDG_STATE_HOME": dir], input: "86400\n")
        #expect(r.status == 0)
        #expect(r.output.contains("was set aside as quiz-progress.corrupt-"))
        #expect(answered(try progress(dir)) == 1)
    }

    @Test func twoQuizzesAtOnceLoseNoAnswers() throws {
        let dir = stateDirectory()
        let env = ["XDG_STATE_HOME": dir]
        let answers = String(repeating: "1000\n", count: 20)
        let a = try startBinary(["quiz", "--plain", "--topic", "units", "--count", "20", "--seed", "1"], environment: env)
        let b = try startBinary(["quiz", "--plain", "--topic", "sizes", "--count", "20", "--seed", "2"], environment: env)
        // Feed both before reading either, so their answers interleave.
        let resultA = a.finish(input: answers)
        let resultB = b.finish(input: answers)
        #expect(resultA.status == 0 && resultB.status == 0)
        #expect(answered(try progress(dir)) == 40)
    }

    @Test func killedMidSaveLeavesAReadableFile() throws {
        // SIGKILL at varied moments while a quiz is busy saving answers: the progress file must
        // always be whole (the previous save or the next), never half written.
        let dir = stateDirectory()
        let answers = String(repeating: "86400\n", count: 200)
        var kills = 0, saved = 0
        for k in 0..<12 {
            let p = try startBinary(["quiz", "--plain", "--topic", "units", "--count", "200", "--seed", "\(k)"], environment: ["XDG_STATE_HOME": dir])
            let bytes = Array(answers.utf8)
            _ = bytes.withUnsafeBufferPointer { write(p.stdin, $0.baseAddress, $0.count) }
            // From the second run on, a file exists: wait (up to 3 s) until this quiz has started
            // answering, so a loaded machine's slow start does not make every kill come first.
            let file = dir + "/clustertutor/quiz-progress.json"
            let before = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? nil
            let deadline = Date().addingTimeInterval(3)
            while Date() < deadline, ((try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? nil) == before {
                usleep(2_000)
            }
            usleep(useconds_t(k * 3_000))
            if kill(p.pid, SIGKILL) == 0 { kills += 1 }
            _ = p.finish(input: "")
            // No file yet is fine (killed before the first save); a file must always parse.
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: dir + "/clustertutor/quiz-progress.json")) else { continue }
            saved += 1
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "half-written file after kill \(k)")
        }
        #expect(kills > 0)
        #expect(saved >= 6)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/clustertutor")
        #expect(!files.contains { $0.hasPrefix("quiz-progress.corrupt") })
    }

    @Test func tuiQuizInTmux() throws {
        try #require(TmuxDriver.tmuxAvailable)
        let dir = stateDirectory()
        let t = try TmuxDriver(width: 80, height: 24, environment: ["XDG_STATE_HOME": dir])
        try t.launch("quiz --topic units --count 2 --seed 4")
        try t.waitFor("the first question") { $0.contains("Question 1 of 2") && $0.contains("> _") }
        try t.type("soon")
        try t.press("Enter")
        try t.waitFor("a hint, and the question again") { $0.contains("not a number I can read") && $0.contains("Question 1 of 2") }
        try t.type("1e5")
        try t.press("Enter")
        try t.waitFor("the marking") { $0.contains("Answer to question 1 of 2") && ($0.contains("Right") || $0.contains("Wrong")) }
        try t.press("Enter")
        try t.waitFor("Question 2 of 2")
        try t.type("1e5")
        try t.press("Enter")
        try t.press("Enter")
        let s = try t.waitFor("the summary") { $0.contains("Summary") && $0.contains("of 2 answered") }
        #expect(s.contains("Best streak"))
        try t.press("q")
        try t.expectShellUsable("quiz-done")
        #expect(answered(try progress(dir)) == 2)
    }
}

/// The progress file and the plain quiz's input under abuse (issue 9, §3).
@Suite(.serialized) struct QuizAbuseEndToEndTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxDriver.binary), "no binary at \(TmuxDriver.binary)")
    }

    func env(_ dir: String) -> [String: String] { ["XDG_STATE_HOME": dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"] }

    @Test func answersAreSavedAFewAtATimeAndAllAtTheEnd() throws {
        let dir = NSTemporaryDirectory() + "ct-batch-\(UUID().uuidString)"
        let file = dir + "/clustertutor/quiz-progress.json"
        let quiz = try startBinary(["quiz", "--plain", "--topic", "sizes", "--count", "4", "--seed", "2"], environment: env(dir))
        let one = Array("16\n".utf8)
        _ = one.withUnsafeBufferPointer { write(quiz.stdin, $0.baseAddress, $0.count) }
        Thread.sleep(forTimeInterval: 1)
        // One answer in, the quiz still running: nothing rewritten yet.
        #expect(!FileManager.default.fileExists(atPath: file))
        let r = quiz.finish(input: "8\nquit\n")
        #expect(r.status == 0, "\(r.output)")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let items = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["items"] as! [String: [String: Any]]
        #expect(items.values.map { ($0["right"] as! Int) + ($0["close"] as! Int) + ($0["wrong"] as! Int) }.reduce(0, +) == 2)
    }

    @Test func aSymlinkedProgressFileStaysASymlink() throws {
        let dir = NSTemporaryDirectory() + "ct-link-\(UUID().uuidString)"
        let elsewhere = NSTemporaryDirectory() + "ct-link-target-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/clustertutor", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let link = dir + "/clustertutor/quiz-progress.json", target = elsewhere + "/progress.json"
        try #"{"version":1,"sessions":0,"items":{}}"#.write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let r = try runBinary(["quiz", "--plain", "--topic", "sizes", "--count", "1", "--seed", "2"], environment: env(dir), input: "16\n")
        #expect(r.status == 0)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"sessions\":1"))
    }

    @Test func oneEnormousLineCostsNoMemory() throws {
        let dir = NSTemporaryDirectory() + "ct-huge-\(UUID().uuidString)"
        let quiz = try startBinary(["quiz", "--plain", "--topic", "sizes", "--count", "1", "--seed", "2"], environment: env(dir))
        // 200 MB of one line, written a megabyte at a time.
        let chunk = [UInt8](repeating: 0x39, count: 1 << 20)
        for _ in 0..<200 {
            var offset = 0
            while offset < chunk.count {
                let n = chunk[offset...].withUnsafeBufferPointer { write(quiz.stdin, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                offset += n
            }
        }
        let status = (try? String(contentsOfFile: "/proc/\(quiz.pid)/status", encoding: .utf8)) ?? ""
        let peakKB = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? -1
        let r = quiz.finish(input: "\nquit\n")
        #expect(r.status == 0)
        #expect(r.output.contains("far too long to be an answer"))
        #expect(peakKB > 0 && peakKB < 100_000, "peak RSS \(peakKB) KB after a 200 MB line")
    }

    /// Home and End as tmux and xterm send them (ESC [ H, ESC [ 4 ~), and bracketed-paste
    /// markers, are keys or nothing, never Esc: read as Esc they ended the quiz.
    @Test func homeEndAndPasteMarkersDoNotEndTheQuiz() throws {
        try #require(TmuxDriver.tmuxAvailable)
        let dir = NSTemporaryDirectory() + "ct-keys-\(UUID().uuidString)"
        let t = try TmuxDriver(width: 80, height: 24, environment: ["XDG_STATE_HOME": dir])
        try t.launch("quiz --topic units --count 1 --seed 4")
        try t.waitFor("the question") { $0.contains("Question 1 of 1") }
        for bytes in [["1b", "5b", "48"], ["1b", "5b", "46"], ["1b", "5b", "31", "7e"], ["1b", "5b", "34", "7e"], ["1b", "5b", "32", "30", "30", "7e"]] {
            try t.run(["send-keys", "-t", t.session, "-H"] + bytes)
        }
        try t.type("7")
        try t.waitFor("the answer typed after them") { $0.contains("> 7_") && $0.contains("Question 1 of 1") }
        try t.press("Escape")
        try t.waitFor("Summary")
        try t.press("q")
        try t.expectShellUsable("keys-done")
    }

    /// A megabyte pasted into the full-screen quiz is handled a batch of keys per frame: the
    /// answer field fills to its limit, the screen answers keys typed after the paste, and
    /// memory stays flat (measured: 1 MB in about 5 s of tmux delivery, 24 MB resident).
    @Test func aMegabytePastedIntoTheScreenQuizIsAbsorbed() throws {
        try #require(TmuxDriver.tmuxAvailable)
        let dir = NSTemporaryDirectory() + "ct-paste-\(UUID().uuidString)"
        let t = try TmuxDriver(width: 80, height: 24, environment: ["XDG_STATE_HOME": dir])
        try t.launch("quiz --topic units --count 1 --seed 4")
        try t.waitFor("the question") { $0.contains("Question 1 of 1") && $0.contains("> _") }
        let file = NSTemporaryDirectory() + "ct-paste-\(UUID().uuidString).txt"
        try String(repeating: "9", count: 1 << 20).write(toFile: file, atomically: true, encoding: .utf8)
        try t.run(["load-buffer", file])
        try t.run(["paste-buffer", "-t", t.session])
        let full = String(repeating: "9", count: 40)
        try t.waitFor("the field full", timeout: 120) { $0.contains("> \(full)_") && $0.contains("an answer is at most 40 characters") }
        // Keys typed after the paste are answered: the field empties with Ctrl-U or Backspace.
        for _ in 0..<40 { try t.press("BSpace") }
        try t.waitFor("the field empty again", timeout: 60) { $0.contains("> _") }
        let pid = try t.playerPID()
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let peakKB = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? -1
        #expect(peakKB > 0 && peakKB < 100_000, "peak RSS \(peakKB) KB after a 1 MB paste")
        try t.press("Escape")
        try t.waitFor("Summary")
        try t.press("q")
        try t.expectShellUsable("paste-done")
    }

}
