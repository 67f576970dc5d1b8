import Foundation
import Testing

/// The headless commands as a person types them: through the built binary, with pipes.
@Suite struct CommandLineEndToEndTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxDriver.binary), "no binary at \(TmuxDriver.binary)")
    }

    let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    @Test func interactiveCommandsWithoutATerminalNameTheHeadlessOnes() throws {
        for args in [["play", "raft-first-election"], ["sandbox", "raft"], ["quiz"], []] {
            let r = try runBinary(args, environment: env, input: "")
            #expect(r.status == 2, "\(args)")
            #expect(r.output.contains("needs an interactive terminal"), "\(args)")
            #expect(r.output.contains("clustertutor check") && r.output.contains("clustertutor render"), "\(args)")
        }
    }

    @Test func checkPrintsALinePerLessonAndASummaryAndFailsWithStatusOne() throws {
        let dir = NSTemporaryDirectory() + "ct-check-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "---\ntitle: Good\npattern: raft\nseed: 6\n---\n## S\n```sim\nrun until leader exists\n```\n".write(toFile: dir + "/good.md", atomically: true, encoding: .utf8)
        try "---\ntitle: Bad\npattern: raft\n---\n## S\n```sim\ncrsh n1\n```\n".write(toFile: dir + "/bad.md", atomically: true, encoding: .utf8)
        try "not a lesson: README files are skipped".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        let r = try runBinary(["check", dir], environment: env, input: "")
        #expect(r.status == 1)
        #expect(r.output.contains("FAIL \(dir)/bad.md"))
        #expect(r.output.contains("\(dir)/bad.md:7:1: unknown command 'crsh' (did you mean 'crash'?)"))
        #expect(r.output.contains("PASS \(dir)/good.md"))
        #expect(r.output.hasSuffix("1 passed, 1 failed\n"))
        let good = try runBinary(["check", dir + "/good.md"], environment: env, input: "")
        #expect(good.status == 0 && good.output.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test func renderByNameAndByPathPrintsTheScreen() throws {
        let byName = try runBinary(["render", "raft-first-election", "--step", "3", "--width", "100", "--height", "30"], environment: env, input: "")
        #expect(byName.status == 0)
        let lines = byName.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 30)
        #expect(lines.allSatisfy { $0.count <= 100 })
        #expect(byName.output.contains("Step 3/6: A candidate asks for votes"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let byPath = try runBinary(["render", root.path + "/Lessons/raft-first-election.md", "--step", "3", "--width", "100", "--height", "30"], environment: env, input: "")
        #expect(byPath.output == byName.output)
        let ascii = try runBinary(["render", "raft-first-election", "--step", "3", "--ascii"], environment: env, input: "")
        #expect(ascii.output.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// `record` writes asciicast v2: a header, then output events at times that never go
    /// back. Replayed into a fresh terminal of the same size, its output leaves exactly the
    /// screen `render --present` prints for the last step recorded.
    @Test func aRecordingReplaysToTheRenderedScreen() throws {
        let cast = NSTemporaryDirectory() + "ct-\(getpid()).cast", replay = NSTemporaryDirectory() + "ct-\(getpid()).out"
        let made = try runBinary(["record", "clocks-vector", "--steps", "1-2", "--speed", "4", "--width", "80", "--height", "24", "-o", cast], environment: env, input: "")
        #expect(made.status == 0, "\(made.output)")
        let lines = try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 2 && header?["width"] as? Int == 80 && header?["height"] as? Int == 24)
        var output = "", last = -1.0
        for l in lines.dropFirst() {
            let event = try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [Any]
            let t = event?[0] as? Double ?? -2
            #expect(t >= last && event?[1] as? String == "o")
            last = t
            output += event?[2] as? String ?? ""
        }
        try output.write(toFile: replay, atomically: true, encoding: .utf8)
        let t = try TmuxDriver(width: 80, height: 24)
        try t.type("cat \(replay); sleep 30"); try t.press("Enter")
        let rendered = try runBinary(["render", "clocks-vector", "--step", "2", "--present", "--width", "80", "--height", "24"], environment: env, input: "")
        let want = rendered.output.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacing(/\ +$/, with: "") }
        let screen = try t.waitFor("the replayed recording") { $0.contains("2/") && $0.contains("n1") }
        let got = screen.split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacing(/\ +$/, with: "") }
        #expect(Array(got.prefix(24)) == Array(want.prefix(24)))
    }

    /// `handout`: each step's narration and the scene alone (no key bar, no narration inside
    /// the picture), each question where the lesson asks it, the answers at the end;
    /// `render --html` is a <pre> that says its encoding.
    @Test func aHandoutAndAnHTMLScreen() throws {
        let h = try runBinary(["handout", "raft-first-election"], environment: env, input: "")
        #expect(h.status == 0)
        let text = h.output
        let question = try #require(text.range(of: "> **Question 1**"))
        let step2 = try #require(text.range(of: "## Step 2:"))
        let narration = try #require(text.range(of: "Each follower drew its timeout at random"))
        #expect(step2.lowerBound < question.lowerBound && question.lowerBound < narration.lowerBound)
        #expect(text.contains("## Answers") && text.contains("1. **c) n3**"))
        #expect(!text.contains("space play") && !text.contains("? help"))
        // Someone else's lesson with a right-to-left override: the handout shows it escaped.
        let file = NSTemporaryDirectory() + "ct-bidi-\(getpid()).md"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "---\ntitle: Bidi\npattern: raft\n---\n\n## One\n\nabc\u{202E}def\n\n```sim\nrun 10ms\n```\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bidi = try runBinary(["handout", file], environment: env, input: "")
        #expect(bidi.status == 0 && !bidi.output.unicodeScalars.contains("\u{202E}") && bidi.output.contains("abc\\u{202E}def"), "\(bidi.output)")
        let html = try runBinary(["render", "raft-first-election", "--step", "2", "--html"], environment: env, input: "")
        #expect(html.output.hasPrefix("<meta charset=\"utf-8\">") && html.output.contains("<pre") && html.output.hasSuffix("</pre>\n"))
    }

    @Test func listAndBuiltinsWorkFromAnyDirectory() throws {
        // A shell in /tmp runs the binary: no Lessons folder in sight.
        let shell = try spawn(["/bin/sh", "-c", "cd / && '\(TmuxDriver.binary)' list && '\(TmuxDriver.binary)' check"],
                              environment: env, stdout: .pipe, stdin: .null).finish(input: nil)
        #expect(shell.status == 0)
        let row = shell.output.split(separator: "\n").first { $0.hasPrefix("raft-first-election ") }
        #expect(row?.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
                 == ["raft-first-election", "raft", "Raft: the first election"])
        #expect(shell.output.contains("clocks-vector"))
        #expect(shell.output.contains("checking the built-in lessons"))
        // As many as the Lessons folder holds (the binary embeds them all).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let lessons = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Lessons").path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.count
        #expect(shell.output.contains("\(lessons) passed, 0 failed"), "\(shell.output)")
    }

    /// An experiment on a pipe prints its table and plot and nothing else; its JSON does not
    /// depend on the number of threads; mistakes are named.
    @Test func experimentsRunFromTheCommandLine() throws {
        let b = "'\(TmuxDriver.binary)'"
        let table = try spawn(["/bin/sh", "-c", "\(b) experiment gossip-rounds --set n=10,100 --trials 4 2>/tmp/ct-exp-err"],
                              environment: env, stdout: .pipe, stdin: .null).finish(input: nil)
        #expect(table.status == 0 && table.output.contains("log2 n + ln n") && table.output.contains("4/4"), "\(table.output)")
        #expect((try? String(contentsOfFile: "/tmp/ct-exp-err", encoding: .utf8))?.isEmpty == true, "no progress bar on a pipe")
        // Mistakes named as such; the list in ASCII is ASCII.
        let negative = try runBinary(["experiment", "raft-split-votes", "--trials", "-1"], environment: env, input: "")
        #expect(negative.output.contains("--trials must be from 1 to 100000, found -1"), "\(negative.output)")
        let seed = try runBinary(["experiment", "raft-split-votes", "--seed", "-1"], environment: env, input: "")
        #expect(seed.status != 0 && seed.output.contains("The value '-1' is invalid for '--seed <seed>'"), "\(seed.output)")
        let twice = try runBinary(["experiment", "raft-split-votes", "--set", "latency=5,1,5"], environment: env, input: "")
        #expect(twice.output.contains("latency names 5 twice"), "\(twice.output)")
        let again = try runBinary(["experiment", "gossip-rounds", "--set", "n=10", "--set", "n=20"], environment: env, input: "")
        #expect(again.status != 0 && again.output.contains("--set n is given twice ('10' and '20')"), "\(again.output)")
        let list = try runBinary(["experiment", "--list", "--ascii"], environment: env, input: "")
        #expect(list.status == 0 && list.output.unicodeScalars.allSatisfy(\.isASCII))
        let one = try spawn(["/bin/sh", "-c", "\(b) experiment queue-latency --set utilisation=0.5 --set seconds=5 --trials 3 --json --jobs 1"],
                            environment: env, stdout: .pipe, stdin: .null).finish(input: nil)
        let two = try spawn(["/bin/sh", "-c", "\(b) experiment queue-latency --set utilisation=0.5 --set seconds=5 --trials 3 --json --jobs 2"],
                            environment: env, stdout: .pipe, stdin: .null).finish(input: nil)
        #expect(one.status == 0 && one.output == two.output && one.output.hasPrefix("{\"experiment\":\"queue-latency\""))
        let bad = try spawn(["/bin/sh", "-c", "\(b) experiment gossip-round 2>&1; \(b) experiment gossip-rounds --set size=10 2>&1"],
                            environment: env, stdout: .pipe, stdin: .null).finish(input: nil)
        #expect(bad.output.contains("unknown experiment 'gossip-round' (did you mean 'gossip-rounds'?)"), "\(bad.output)")
        #expect(bad.output.contains("gossip-rounds has no setting 'size'"), "\(bad.output)")
        // A refused run leaves an old CSV file as it was.
        let kept = "/tmp/ct-exp-kept.csv"
        try "earlier trials\n".write(toFile: kept, atomically: true, encoding: .utf8)
        let refused = try runBinary(["experiment", "raft-election", "--csv", kept, "--trials", "0"], environment: env, input: "")
        #expect(refused.status != 0 && (try? String(contentsOfFile: kept, encoding: .utf8)) == "earlier trials\n", "\(refused.output)")
        // The CSV goes through a link to its target, and into a device as into a file: neither
        // is replaced by a new file (as root, that once turned /dev/full into a regular file).
        let target = "/tmp/ct-exp-target.csv", link = "/tmp/ct-exp-link.csv"
        try? FileManager.default.removeItem(atPath: link)
        try "old\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let linked = try runBinary(["experiment", "queue-latency", "--trials", "1", "--set", "seconds=1", "--csv", link], environment: env, input: "")
        let attrs = try FileManager.default.attributesOfItem(atPath: link)
        #expect(linked.status == 0 && attrs[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect((try? String(contentsOfFile: target, encoding: .utf8))?.hasPrefix("utilisation,trial,seed,ms\n") == true)
        // A full device (the real /dev/full, or a copy of it where this user may make one) fails.
        let full = "/tmp/ct-exp-full"
        try? FileManager.default.removeItem(atPath: full)
        let device = mknod(full, S_IFCHR | 0o666, dev_t(0x107)) == 0 ? full : "/dev/full"
        let onFull = try runBinary(["experiment", "queue-latency", "--trials", "1", "--set", "seconds=1", "--csv", device], environment: env, input: "")
        #expect(onFull.status == 1 && onFull.output.contains("could not write the trials to '\(device)': No space left on device"), "\(onFull.output)")
        #expect(onFull.output.contains("M/M/1"), "the results are shown before the CSV fails: \(onFull.output)")
        // A CSV file not there yet is made only when the trials are done: a run stopped by
        // Ctrl-C (here SIGINT after half a second) leaves nothing behind; a folder that is not
        // there is refused before the run.
        let fresh = "/tmp/ct-exp-fresh.csv"
        try? FileManager.default.removeItem(atPath: fresh)
        let stopped = try runProgram(["/bin/sh", "-c", "timeout -s INT 0.5 \(b) experiment gossip-rounds --set n=100000 --trials 1000 --csv \(fresh) >/dev/null 2>&1; echo status=$?"])
        #expect(stopped.contains("status=124") && !FileManager.default.fileExists(atPath: fresh), "\(stopped)")
        let dangling = "/tmp/ct-exp-dangling.csv"
        try? FileManager.default.removeItem(atPath: dangling)
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "ct-no-such-folder/x.csv")
        let through = try runBinary(["experiment", "queue-latency", "--csv", dangling], environment: env, input: "")
        #expect(through.status == 64 && through.output.contains("--csv cannot write '\(dangling)' (No such file or directory)"), "\(through.output)")
        let nowhere = try runBinary(["experiment", "queue-latency", "--csv", "/tmp/ct-no-such-folder/x.csv"], environment: env, input: "")
        #expect(nowhere.status == 64 && nowhere.output.contains("--csv cannot write '/tmp/ct-no-such-folder/x.csv' (No such file or directory)"), "\(nowhere.output)")
        let made = try runBinary(["experiment", "queue-latency", "--trials", "1", "--set", "seconds=1", "--csv", fresh], environment: env, input: "")
        #expect(made.status == 0 && (try? String(contentsOfFile: fresh, encoding: .utf8))?.hasPrefix("utilisation,trial,seed,ms\n") == true, "\(made.output)")
        var st = stat()
        #expect(stat(device, &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "still a device")
        // `check` runs a lesson's block and fails at its line when it is wrong or too costly.
        let lesson = "/tmp/ct-exp-lesson.md"
        for (block, says) in [("raft-election --trials 500 --set spread=0", "ct-exp-lesson.md:9:1: trial"),
                              ("raft-electon", "ct-exp-lesson.md:9:1: unknown experiment 'raft-electon'"),
                              ("breaker-trip --trials 2 --set failure=1", "ct-exp-lesson.md:9:1: the experiment ran, but none of its 2 trials finished")] {
            try "---\ntitle: E\npattern: raft\n---\n\n## S\n\n```experiment\n\(block)\n```\n".write(toFile: lesson, atomically: true, encoding: .utf8)
            let checked = try runBinary(["check", lesson], environment: env, input: "")
            #expect(checked.status != 0 && checked.output.contains(says) && checked.output.contains("0 passed, 1 failed"), "\(checked.output)")
        }
    }

    /// On a terminal, an experiment draws a progress bar on stderr that ends full, on one line
    /// that fits the window, and the table follows it.
    @Test func anExperimentShowsItsProgressOnATerminal() throws {
        guard TmuxDriver.tmuxAvailable else { return }
        let t = try TmuxDriver(width: 60, height: 60)
        try t.launch("experiment raft-split-votes --set latency=1,5 --trials 40 --jobs 2")
        let screen = try t.waitFor("the finished bar and the table") { $0.contains("80/80 trials") && $0.contains("first elections with a split vote") }
        let bar = screen.split(separator: "\n").first { $0.contains("80/80 trials") } ?? ""
        #expect(bar.hasPrefix("[") && !bar.contains(".") && bar.count <= 60, "\(bar)")
        // Long trials: the bar moves well before the first hundredth of them is done.
        let slow = try TmuxDriver(width: 60, height: 10)
        try slow.launch("experiment gossip-rounds --set n=1000 --trials 100000 --jobs 1")
        _ = try slow.waitFor("a count below a hundredth") { screen in
            screen.split(separator: "\n").contains { line in
                guard line.hasPrefix("["), line.hasSuffix("/100000 trials"), let close = line.firstIndex(of: "]"),
                      let done = Int(line[line.index(after: close)...].prefix { $0 != "/" }.trimmingCharacters(in: .whitespaces)) else { return false }
                return done > 0 && done < 1_000
            }
        }
        try slow.press("C-c")
    }

    /// Output lost to a full disk is a failure with a message, not exit status 0.
    @Test(arguments: ["list", "render raft-first-election --step 2", "diagram clocks-vector", "--version", "check Lessons/raft-split-vote.md"])
    func outputThatCannotBeWrittenFails(_ args: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let out = try runProgram(["/bin/sh", "-c", "cd \"$1\" && \"$0\" \(args) 2>&1 >/dev/full; echo status=$?", TmuxDriver.binary, root])
        #expect(out.contains("clustertutor: could not write the output: No space left on device"), "\(out)")
        #expect(out.contains("status=1"), "\(out)")
    }

    @Test func helpAndVersionEverywhere() throws {
        for command in [[], ["menu"], ["play"], ["sandbox"], ["quiz"], ["check"], ["render"], ["diagram"], ["list"]] {
            let v = try runBinary(command + ["--version"], environment: env, input: "")
            #expect(v.status == 0 && v.output == "0.1.0\n", "\(command) --version")
            let h = try runBinary(command + ["--help"], environment: env, input: "")
            #expect(h.status == 0 && h.output.contains("USAGE:"), "\(command) --help")
        }
    }
}

@Suite struct DiagramCommandEndToEndTests {
    @Test func diagramPrintsTheTimeSpaceDiagramAndShiVizLogs() throws {
        let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        let full = try runBinary(["diagram", "clocks-vector"], environment: env, input: "")
        #expect(full.status == 0)
        #expect(full.output.hasPrefix("n1 [2,0,0] "))
        #expect(full.output.contains("e6") && full.output.contains("[2,2,2]"))
        let first = try runBinary(["diagram", "clocks-vector", "--step", "1"], environment: env, input: "")
        #expect(first.output.contains("e1") && !first.output.contains("e2"))
        let log = try runBinary(["diagram", "clocks-vector", "--shiviz"], environment: env, input: "")
        #expect(log.output.hasPrefix("e1 a\nn1 {\"n1\": 1}\ne2 send m1 to n2\nn1 {\"n1\": 2}\n"))
        let wrong = try runBinary(["diagram", "raft-partition"], environment: env, input: "")
        #expect(wrong.status != 0 && wrong.output.contains("diagram works with pattern: clocks"))
    }
}
