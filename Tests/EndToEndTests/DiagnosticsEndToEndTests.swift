import Foundation
import Testing

/// Whole-file problems, paths, and command-line mistakes get exact, positioned messages (issue 9, §3).
@Suite struct DiagnosticsEndToEndTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: TmuxDriver.binary), "no binary at \(TmuxDriver.binary)")
    }

    let env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]

    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "ct-diag-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func wholeFileProblemsHaveAPosition() throws {
        let dir = try folder()
        var bytes = Array("---\ntitle: T\npattern: raft\n---\n\n## S\n\nab".utf8)
        bytes += [0xFF, 0xFE]
        _ = FileManager.default.createFile(atPath: dir + "/latin.md", contents: Data(bytes))
        _ = FileManager.default.createFile(atPath: dir + "/huge.md", contents: Data(repeating: 0x61, count: 3_000_000))
        let r = try runBinary(["check", dir + "/latin.md", dir + "/huge.md"], environment: env, input: "")
        #expect(r.status == 1)
        #expect(r.output.contains("\(dir)/latin.md:8:3: not UTF-8 text"), "\(r.output)")
        #expect(r.output.contains("\(dir)/huge.md:1:1: lesson file is larger than"), "\(r.output)")
        let device = try runBinary(["check", "/dev/zero"], environment: env, input: "")
        #expect(device.output.contains("/dev/zero:1:1: not a regular file"), "\(device.output)")
    }

    @Test func aMissingPathDoesNotStopTheOthersAndAnEmptyFolderFails() throws {
        let dir = try folder()
        try "---\ntitle: Good\npattern: raft\nseed: 6\n---\n## S\n```sim\nrun until leader exists\n```\n".write(toFile: dir + "/good.md", atomically: true, encoding: .utf8)
        let r = try runBinary(["check", dir + "/missing.md", dir + "/good.md"], environment: env, input: "")
        #expect(r.status == 1)
        #expect(r.output.contains("FAIL \(dir)/missing.md: no such file or folder"))
        #expect(r.output.contains("PASS \(dir)/good.md"))
        #expect(r.output.hasSuffix("1 passed, 1 failed\n"))
        let empty = try folder()
        let e = try runBinary(["check", empty], environment: env, input: "")
        #expect(e.status == 1)
        #expect(e.output.contains("a folder with no lessons in it"))
    }

    /// Links are followed; a dangling link, a loop of links and a file used as a folder each say
    /// what they are (they said "not a regular file" or "no such file").
    @Test func linksAndOddPathsSayWhatIsWrong() throws {
        let dir = try folder()
        try "---\ntitle: Good\npattern: raft\nseed: 6\n---\n## S\n```sim\nrun until leader exists\n```\n".write(toFile: dir + "/good.md", atomically: true, encoding: .utf8)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir + "/link.md", withDestinationPath: "good.md")
        try fm.createSymbolicLink(atPath: dir + "/dangling.md", withDestinationPath: "nowhere.md")
        try fm.createSymbolicLink(atPath: dir + "/loop1.md", withDestinationPath: "loop2.md")
        try fm.createSymbolicLink(atPath: dir + "/loop2.md", withDestinationPath: "loop1.md")
        let r = try runBinary(["check", dir], environment: env, input: "")
        #expect(r.output.contains("PASS \(dir)/link.md"), "\(r.output)")
        #expect(r.output.contains("\(dir)/dangling.md:1:1: cannot be read: a symbolic link to nowhere.md, which does not exist"), "\(r.output)")
        #expect(r.output.contains("\(dir)/loop1.md:1:1: cannot be read: a loop of symbolic links"), "\(r.output)")
        let paths = try runBinary(["check", dir + "/good.md/x.md", dir + "/loop2.md"], environment: env, input: "")
        #expect(paths.output.contains("good.md/x.md: a part of the path before the last is not a folder"), "\(paths.output)")
        let play = try runBinary(["render", dir + "/dangling.md"], environment: env, input: "")
        #expect(play.output.contains("no lesson file at \(dir)/dangling.md: a symbolic link to nowhere.md"), "\(play.output)")
        // A lesson whose frontmatter is broken gets its diagnostics, not "a '?' lesson".
        try "---\ntitle: x\n".write(toFile: dir + "/open.txt", atomically: true, encoding: .utf8)
        let diagram = try runBinary(["diagram", dir + "/open.txt"], environment: env, input: "")
        #expect(diagram.output.contains("open.txt:1:1: frontmatter is not closed"), "\(diagram.output)")
        #expect(!diagram.output.contains("'?'"))
    }

    @Test func checkDashReadsALessonFromAPipe() throws {
        let lesson = "---\ntitle: Piped\npattern: raft\nseed: 6\n---\n## S\n```sim\nrun until leader exists\n```\n"
        let r = try runBinary(["check", "-"], environment: env, input: lesson)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("PASS -"))
        let empty = try runBinary(["check", "-"], environment: env, input: "")
        #expect(empty.output.contains("-:1:1: nothing on standard input (it is empty or closed)"), "\(empty.output)")
        let bad = try runBinary(["check", "-"], environment: env, input: "---\ntitle: P\npattern: raft\n---\n## S\n```sim\ncrsh n1\n```\n")
        #expect(bad.output.contains("-:7:1: unknown command 'crsh'"), "\(bad.output)")
    }

    @Test func commandLineMistakesNameTheirCommand() throws {
        let step = try runBinary(["render", "raft-first-election", "--step", "99999"], environment: env, input: "")
        #expect(step.status == 64)
        #expect(step.output.contains("raft-first-election has 6 steps; --step must be 0…6, found 99999"))
        #expect(step.output.contains("Usage: clustertutor render <lesson>"))
        let width = try runBinary(["render", "raft-first-election", "--width", "-5"], environment: env, input: "")
        #expect(width.output.contains("--width must be from 80 to 1000"), "\(width.output)")
        let small = try runBinary(["render", "raft-first-election", "--width", "20", "--height", "5"], environment: env, input: "")
        #expect(small.status == 64)
        #expect(small.output.contains("--width must be from 80 to 1000 (the player needs 80x24 at least), found 20"), "\(small.output)")
        let short = try runBinary(["render", "raft-first-election", "--height", "23"], environment: env, input: "")
        #expect(short.status == 64 && short.output.contains("--height must be from 24 to 500"), "\(short.output)")
        // The presenter's view renders down to the projector's 60x18 it is presented at.
        let projector = try runBinary(["render", "raft-first-election", "--step", "1", "--present", "--width", "60", "--height", "18"], environment: env, input: "")
        #expect(projector.status == 0 && projector.output.contains("Five followers wait"), "\(projector.output)")
        let below = try runBinary(["render", "raft-first-election", "--present", "--width", "59", "--height", "18"], environment: env, input: "")
        #expect(below.status == 64 && below.output.contains("--width must be from 60 to 1000 (the presenter needs 60x18 at least), found 59"), "\(below.output)")
        let nodes = try runBinary(["sandbox", "raft", "--set", "nodes=0"], environment: env, input: "")
        #expect(nodes.output.contains("setting nodes must be from 1 to 15 for raft"), "\(nodes.output)")
        #expect(!nodes.output.contains("frontmatter"))
        let key = try runBinary(["sandbox", "raft", "--set", "a b=1"], environment: env, input: "")
        #expect(key.output.contains("a setting's name is one word"), "\(key.output)")
        #expect(!key.output.contains("frontmatter"))
        let count = try runBinary(["quiz", "--plain", "--count", "-1"], environment: env, input: "")
        #expect(count.output.contains("--count must be 1…200"), "\(count.output)")
        let title = try runBinary(["sandbox", "raft", "--set", "title=x"], environment: env, input: "")
        #expect(title.output.contains("a sandbox sets its own title"), "\(title.output)")
        let diagram = try runBinary(["diagram", "clocks-vector", "--width", "5"], environment: env, input: "")
        #expect(diagram.output.contains("--width must be from 20 to 1000, found 5"))
        #expect(diagram.output.contains("Usage: clustertutor diagram"))
    }

    @Test func resetForgetsThroughASymlinkAndLeavesAFolderAlone() throws {
        let dir = try folder()
        let target = try folder() + "/progress.json"
        try FileManager.default.createDirectory(atPath: dir + "/clustertutor", withIntermediateDirectories: true)
        try #"{"version":1,"sessions":3,"items":{}}"#.write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/clustertutor/quiz-progress.json", withDestinationPath: target)
        let e = ["XDG_STATE_HOME": dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        _ = try runBinary(["quiz", "--reset"], environment: e, input: "")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/clustertutor/quiz-progress.json")) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"sessions\":0"))
        let other = try folder()
        try FileManager.default.createDirectory(atPath: other + "/clustertutor/quiz-progress.json/keep", withIntermediateDirectories: true)
        let r = try runBinary(["quiz", "--reset"], environment: ["XDG_STATE_HOME": other, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"], input: "")
        #expect(r.output.contains("is a folder, not a progress file"), "\(r.output)")
        #expect(FileManager.default.fileExists(atPath: other + "/clustertutor/quiz-progress.json/keep"))
    }
}
