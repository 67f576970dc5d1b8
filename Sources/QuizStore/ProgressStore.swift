import Foundation
import Quiz

/// The quiz progress file: `$XDG_STATE_HOME/clustertutor/quiz-progress.json`
/// (default `~/.local/state/clustertutor/`).
///
/// Every change is a locked read-modify-write: take an exclusive `flock` on a lock file beside it,
/// read the newest progress, apply the change, write a temporary file, `fsync` it and `rename` it
/// over the old one. So a crash or Ctrl-C mid-write leaves the previous file whole, and two quizzes
/// running at once each add their answers to what the other wrote instead of overwriting it.
public final class ProgressStore: @unchecked Sendable {
    public let directory: URL
    public var file: URL { directory.appendingPathComponent("quiz-progress.json") }
    var lockFile: URL { directory.appendingPathComponent("quiz-progress.lock") }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public init(directory: URL) { self.directory = directory }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("clustertutor")
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".local/state/clustertutor")
    }

    /// Reads the progress. A file that cannot be understood is renamed aside (never deleted) and
    /// a fresh progress is returned with a warning saying where the old one went.
    public func load() throws(Failure) -> (QuizProgress, warning: String?) {
        try withLock { () throws(Failure) in try read() }
    }

    /// Applies `change` to the newest stored progress and saves it; returns what was saved.
    @discardableResult
    public func update(_ change: (inout QuizProgress) -> Void) throws(Failure) -> (QuizProgress, warning: String?) {
        try withLock { () throws(Failure) in
            var (p, warning) = try read()
            change(&p)
            try write(p)
            return (p, warning)
        }
    }

    /// Forgets all progress.
    public func reset() throws(Failure) {
        try withLock { () throws(Failure) in
            // Only a progress file is forgotten: a folder in its place is not ours to delete, and
            // a symlink's target is what holds the progress.
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDir) else { return }
            guard !isDir.boolValue else { throw Failure(description: "\(file.path) is a folder, not a progress file; left alone") }
            try write(QuizProgress())
        }
    }

    // MARK: Internals

    func withLock<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            // Say what is in the way, not Foundation's "NSCocoaErrorDomain error 512".
            // The nearest part of the path that exists decides: a file (or /dev/null) where a
            // folder must be, or a folder we may not write in.
            var ancestor = directory
            var isDir: ObjCBool = false
            while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDir), ancestor.path != "/" {
                ancestor.deleteLastPathComponent()
            }
            let why = isDir.boolValue ? "permission denied in \(ancestor.path)" : "\(ancestor.path) is not a folder (check XDG_STATE_HOME and HOME)"
            throw Failure(description: "cannot create the progress folder \(directory.path): \(why)")
        }
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open \(lockFile.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Failure(description: "cannot lock \(lockFile.path): \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Far larger than any real progress (100,000 items is about 15 MB): not read into memory.
    static let maxBytes = 32 << 20

    func read() throws(Failure) -> (QuizProgress, warning: String?) {
        // Only a regular file (or a link to one) is progress. A folder, a device or a pipe in
        // its place is named and left alone: reading a FIFO would wait forever, and saving
        // "through" /dev/null would put a temporary file in /dev.
        var st = stat()
        guard stat(file.path, &st) == 0 else {
            let err = errno
            if err == ENOENT { return (QuizProgress(), nil) }   // none yet, or a link to one not made yet
            throw Failure(description: "\(file.path) cannot be used: \(err == ELOOP ? "a loop of symbolic links" : String(cString: strerror(err)))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Failure(description: "\(file.path) is a folder, not a progress file; move it away to keep progress")
        default: throw Failure(description: "\(file.path) is not a regular file (a device, a pipe or a socket); progress is kept only in a regular file")
        }
        if st.st_size > Self.maxBytes {
            return (QuizProgress(), try setAside("it is larger than \(Self.maxBytes >> 20) MB, far more than any progress"))
        }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            return (QuizProgress(), try setAside("it could not be read (\(error.localizedDescription))"))
        }
        do {
            let p = try JSONDecoder().decode(QuizProgress.self, from: data)
            if let why = p.insanity { return (QuizProgress(), try setAside(why)) }
            return (p, nil)
        } catch {
            return (QuizProgress(), try setAside("it is not valid progress JSON"))
        }
    }

    /// Where a save goes: the file, or what its chain of links points at, even when that does
    /// not exist yet (a dangling link is made real, not replaced by a file).
    func destination() throws(Failure) -> URL {
        var url = file
        for _ in 0..<40 {
            guard let next = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) else { return url }
            url = next.hasPrefix("/") ? URL(fileURLWithPath: next) : url.deletingLastPathComponent().appendingPathComponent(next)
        }
        throw Failure(description: "cannot save \(file.path): a loop of symbolic links")
    }

    func setAside(_ why: String) throws(Failure) -> String {
        let stamp = Int(Date().timeIntervalSince1970)
        var target = directory.appendingPathComponent("quiz-progress.corrupt-\(stamp).json")
        var k = 1
        while FileManager.default.fileExists(atPath: target.path) {
            target = directory.appendingPathComponent("quiz-progress.corrupt-\(stamp)-\(k).json"); k += 1
        }
        guard rename(file.path, target.path) == 0 else {
            throw Failure(description: "\(file.path) is unreadable and could not be moved aside: \(String(cString: strerror(errno)))")
        }
        return "warning: the quiz progress file was set aside as \(target.lastPathComponent) because \(why); starting fresh."
    }

    func write(_ p: QuizProgress) throws(Failure) {
        let encoder = JSONEncoder()
        // Compact: a large file is rewritten on every save, and pretty printing doubles it.
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(p) } catch { throw Failure(description: "cannot encode progress: \(error)") }
        // A progress file that is a symlink (kept in a dotfiles repository, say) stays one: the
        // new version replaces the file it points to, beside which the temporary file is made.
        let destination = try destination()
        let temp = destination.deletingLastPathComponent().appendingPathComponent(".quiz-progress.\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot write \(temp.path): \(String(cString: strerror(errno)))") }
        let ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(temp.path, destination.path) == 0 else {
            unlink(temp.path)
            throw Failure(description: "cannot save \(file.path): \(String(cString: strerror(errno)))")
        }
    }
}
