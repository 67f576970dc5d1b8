import Foundation
import Testing
@testable import Lessons
import Patterns

/// Every input the fuzzers (Scripts/fuzz.sh) found to trap, hang or run away, kept as it was
/// found: each must now give diagnostics, not a crash. New findings go in FuzzFindings/.
@Suite struct FuzzFindingsTests {
    static var findings: [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzFindings")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted().map { dir.appendingPathComponent($0).path }
    }

    @Test func thereAreFindingsToReplay() { #expect(!Self.findings.isEmpty) }

    @Test(arguments: findings)
    func aFindingIsDiagnosedNotCrashed(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) else { return }
        let o = checkLesson(LessonDocument(file: "finding.md", name: "finding", text: text), among: [Raft.self, Clocks.self])
        #expect(!o.passed || o.diagnostics.isEmpty)
    }

    @Test(arguments: ["-", "---", "", "--5ms"])
    func aRangeOfDashesIsAMistakeNotATrap(_ s: String) {
        guard case .failure = Words.parseRange(s) else { Issue.record("'\(s)' accepted"); return }
    }
}
