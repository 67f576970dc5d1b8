import Foundation
import Testing
@testable import Quiz
@testable import QuizStore

@Suite struct ProgressStoreTests {
    func temporaryStore() -> ProgressStore {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ct-progress-\(UUID().uuidString)")
        return ProgressStore(directory: dir)
    }

    @Test func roundTripsAndLeavesNoTemporaryFiles() throws {
        let store = temporaryStore()
        try store.update { $0.record(item: "a", title: "A", grade: .wrong, session: 1) }
        let (p, warning) = try store.load()
        #expect(warning == nil)
        #expect(p.items["a"]?.wrong == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(files.sorted() == ["quiz-progress.json", "quiz-progress.lock"])
    }

    @Test func aFailedWriteLeavesTheOldFileWhole() throws {
        let store = temporaryStore()
        try store.update { $0.record(item: "a", title: "A", grade: .right, session: 1) }
        let before = try Data(contentsOf: store.file)
        // Make the folder read-only: the temporary file cannot be created, the rename never happens.
        chmod(store.directory.path, 0o555)
        defer { chmod(store.directory.path, 0o755) }
        let failed = (try? store.update { $0.record(item: "b", title: "B", grade: .right, session: 1) }) == nil
        if getuid() != 0 {   // root ignores permissions; the property is then shown by the rename design only
            #expect(failed)
            #expect(try Data(contentsOf: store.file) == before)
        }
    }

    @Test func savesReplaceTheFileByRenameNeverInPlace() throws {
        // Writing in place could leave half a file after a crash; a rename cannot. A new inode on
        // every save shows the file is never rewritten where it stands.
        let store = temporaryStore()
        var inodes: Set<UInt64> = []
        for k in 0..<5 {
            try store.update { $0.record(item: "a", title: "A", grade: .right, session: k) }
            var st = stat()
            #expect(stat(store.file.path, &st) == 0)
            inodes.insert(UInt64(st.st_ino))
        }
        #expect(inodes.count >= 2)
        // A temporary file left by a crash mid-write is ignored.
        try Data("partial".utf8).write(to: store.directory.appendingPathComponent(".quiz-progress.999.1.tmp"))
        #expect(try store.load().warning == nil)
    }

    @Test func aCorruptFileIsSetAsideWithAWarning() throws {
        let store = temporaryStore()
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        try Data("{\"version\": 1, \"items\": {tru".utf8).write(to: store.file)
        let (p, warning) = try store.load()
        #expect(p == QuizProgress())
        #expect(warning?.contains("set aside as quiz-progress.corrupt-") == true)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(files.contains { $0.hasPrefix("quiz-progress.corrupt-") })
        // The next save works normally.
        try store.update { $0.sessions += 1 }
        #expect(try store.load().0.sessions == 1)
        // A well-formed file from the future (or hand-edited nonsense) is treated the same way.
        try Data("{\"version\": 7, \"sessions\": 0, \"items\": {}}".utf8).write(to: store.file)
        #expect(try store.load().warning?.contains("not a version-1 progress file") == true)
    }

    /// A file with too many items is set aside for that reason (it said "numbers out of range").
    @Test func anOversizedFileIsSetAsideForWhatIsWrongWithIt() throws {
        let store = temporaryStore()
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        var p = QuizProgress()
        for k in 0...QuizProgress.maxItems { p.items["k\(k)"] = QuizProgress.Item() }
        try JSONEncoder().encode(p).write(to: store.file)
        let (fresh, warning) = try store.load()
        #expect(fresh.items.isEmpty)
        #expect(warning?.contains("it holds \(QuizProgress.maxItems + 1) items, more than the \(QuizProgress.maxItems)") == true, "\(warning ?? "")")
        var box = QuizProgress()
        box.items["x"] = QuizProgress.Item(box: 9)
        try JSONEncoder().encode(box).write(to: store.file)
        #expect(try store.load().warning?.contains("item 'x' is in box 9, outside 1-5") == true)
    }

    /// A folder, a device or a pipe where the progress file belongs is named and left alone:
    /// no Foundation error text, no hang on the pipe, no temporary file made beside /dev/null.
    @Test func somethingOtherThanAFileInItsPlaceIsNamedAndLeftAlone() throws {
        let store = temporaryStore()
        let fm = FileManager.default
        try fm.createDirectory(at: store.file, withIntermediateDirectories: true)
        #expect(throws: ProgressStore.Failure.self) { try store.load() }
        do { _ = try store.load() } catch { #expect(error.description.contains("is a folder, not a progress file")) }
        #expect(fm.fileExists(atPath: store.file.path))
        try fm.removeItem(at: store.file)
        try fm.createSymbolicLink(atPath: store.file.path, withDestinationPath: "/dev/null")
        do { _ = try store.update { $0.sessions += 1 }; Issue.record("saved through /dev/null") } catch {
            #expect(error.description.contains("not a regular file"))
        }
        try fm.removeItem(at: store.file)
        #expect(mkfifo(store.file.path, 0o600) == 0)
        do { _ = try store.load(); Issue.record("read a FIFO") } catch {
            #expect(error.description.contains("not a regular file"))
        }
    }

    /// A state folder that cannot exist (XDG_STATE_HOME=/dev/null) is named plainly, not as
    /// "NSCocoaErrorDomain error 512".
    @Test func aStateFolderUnderAFileIsNamed() {
        let store = ProgressStore(directory: URL(fileURLWithPath: "/dev/null/clustertutor"))
        do { _ = try store.load(); Issue.record("loaded under /dev/null") } catch {
            #expect(error.description.contains("/dev/null is not a folder"), "\(error)")
        }
    }

    /// A dangling link (progress kept in a dotfiles folder not made yet) is saved through, not
    /// replaced by a file.
    @Test func aDanglingLinkIsSavedThrough() throws {
        let store = temporaryStore()
        let fm = FileManager.default
        try fm.createDirectory(at: store.directory, withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: store.file.path, withDestinationPath: "kept/progress.json")
        try fm.createDirectory(at: store.directory.appendingPathComponent("kept"), withIntermediateDirectories: true)
        try store.update { $0.record(item: "a", title: "A", grade: .right, session: 1) }
        #expect(try fm.destinationOfSymbolicLink(atPath: store.file.path) == "kept/progress.json")
        #expect(try store.load().0.items["a"]?.right == 1)
        #expect(fm.fileExists(atPath: store.directory.appendingPathComponent("kept/progress.json").path))
    }

    @Test func concurrentWritersLoseNoAnswers() async throws {
        let store = temporaryStore()
        let writers = 8, answers = 25
        await withTaskGroup(of: Void.self) { group in
            for w in 0..<writers {
                group.addTask {
                    // Each writer has its own store object, as a second process would.
                    let mine = ProgressStore(directory: store.directory)
                    for k in 0..<answers {
                        _ = try? mine.update { $0.record(item: "w\(w)", title: "W\(w)", grade: k % 2 == 0 ? .right : .wrong, session: 1) }
                    }
                }
            }
        }
        let (p, _) = try store.load()
        #expect(p.items.count == writers)
        for w in 0..<writers {
            let i = p.items["w\(w)"]
            #expect((i?.right ?? 0) + (i?.wrong ?? 0) == answers)
        }
    }

    @Test func resetForgetsEverything() throws {
        let store = temporaryStore()
        try store.update { $0.record(item: "a", title: "A", grade: .right, session: 1) }
        try store.reset()
        #expect(try store.load().0 == QuizProgress())
    }

    @Test func followsXDGStateHome() {
        #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/h"]).path == "/x/state/clustertutor")
        #expect(ProgressStore.defaultDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/clustertutor")
        #expect(ProgressStore.defaultDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]).path == "/h/.local/state/clustertutor")
    }
}
