import Foundation
import Lessons
import Patterns

/// Finds lessons: a built-in one by name, or a file by path.
enum LessonSource {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static var builtin: [LessonDocument] {
        BuiltinLessons.all.map { LessonDocument(file: "Lessons/\($0.name).md", name: $0.name, text: $0.text) }
            .sorted { (order($0), $0.name) < (order($1), $1.name) }
    }

    static func order(_ d: LessonDocument) -> Int { Int(d.settings["order"] ?? "") ?? 1_000 }

    static func load(_ nameOrPath: String) throws(Failure) -> LessonDocument {
        if nameOrPath == "-" { return try read("-") }
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: nameOrPath, isDirectory: &isDir) {
            guard !isDir.boolValue else { throw Failure(description: "\(nameOrPath) is a folder; name one lesson file") }
            return try read(nameOrPath)
        }
        if let d = builtin.first(where: { $0.name == nameOrPath }) { return d }
        if nameOrPath.hasSuffix(".md") || nameOrPath.contains("/") {
            throw Failure(description: "no lesson file at \(nameOrPath): \(problem(at: nameOrPath) ?? "no such file")")
        }
        let names = builtin.map(\.name)
        throw Failure(description: "no built-in lesson '\(nameOrPath)'" + didYouMean(nameOrPath, names) + "; `clustertutor list` shows them all")
    }

    /// Reads a lesson file (`-`: standard input). Whole-file problems are reported with a
    /// position like any other (`file:1:1:`, or where the first bad byte is), so editors and
    /// CI annotate them.
    static func read(_ path: String) throws(Failure) -> LessonDocument {
        let limit = LessonDocument.maxBytes
        let data: Data
        if path == "-" {
            // A pipe has no size to ask: read one byte past the limit, no more.
            var d = Data()
            while d.count <= limit, let chunk = try? FileHandle.standardInput.read(upToCount: 64 * 1024), !chunk.isEmpty { d.append(chunk) }
            guard d.count <= limit else { throw Failure(description: "-:1:1: the lesson on standard input is larger than \(limit / 1024) KB (the limit for a lesson)") }
            guard !d.isEmpty else { throw Failure(description: "-:1:1: nothing on standard input (it is empty or closed); pipe a lesson into check -") }
            data = d
        } else {
            // stat, not attributesOfItem: a link to a lesson is that lesson, not "not a file".
            var st = stat()
            guard stat(path, &st) == 0 else {
                throw Failure(description: "\(path):1:1: cannot be read: \(problem(at: path) ?? "no such file")")
            }
            if st.st_mode & S_IFMT == S_IFDIR {
                throw Failure(description: "\(path):1:1: a folder, not a lesson file")
            }
            if st.st_mode & S_IFMT != S_IFREG {
                throw Failure(description: "\(path):1:1: not a regular file (a device, a pipe or a socket); a lesson is a text file")
            }
            if st.st_size > limit {
                throw Failure(description: "\(path):1:1: lesson file is larger than \(limit / 1024) KB, the limit for a lesson (\(Int(st.st_size)) bytes; at most \(limit))")
            }
            guard let d = FileManager.default.contents(atPath: path) else {
                throw Failure(description: "\(path):1:1: cannot be read: \(problem(at: path) ?? "an error while reading")")
            }
            guard d.count <= limit else { throw Failure(description: "\(path):1:1: lesson file is larger than \(limit / 1024) KB") }
            data = d
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column) = firstInvalidUTF8(data)
            throw Failure(description: "\(path):\(line):\(column): not UTF-8 text (the first byte that is not is here); save the file as UTF-8")
        }
        let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return LessonDocument(file: path, name: name, text: text)
    }

    /// What stands between a path and its contents, in words, or nil when nothing does: a
    /// dangling link, a loop of links and a folder on the way that cannot be entered all looked
    /// like "no such file" (or "permission denied") before.
    static func problem(at path: String) -> String? {
        var st = stat()
        if stat(path, &st) == 0 { return access(path, R_OK) == 0 ? nil : "permission denied" }
        let err = errno
        var link = stat()
        if err == ENOENT, lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            return "a symbolic link to \(target), which does not exist"
        }
        switch err {
        case ENOENT: return "no such file or folder"
        case ELOOP: return "a loop of symbolic links"
        case EACCES: return "permission denied on a folder along the path"
        case ENOTDIR: return "a part of the path before the last is not a folder"
        case ENAMETOOLONG: return "the path is too long"
        default: return String(cString: strerror(err))
        }
    }

    /// Line and column (in characters of the valid text before it) of the first byte that is
    /// not part of valid UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        var line = 1, column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return (line, column)
            case .error: return (line, column)
            }
        }
    }

    /// Files and folders given to `check` → lesson files (a folder's `*.md`, except README.md),
    /// and a problem for each path that gave none: a missing path, or a folder without lessons.
    /// One bad path does not stop the others from being checked.
    static func expand(_ paths: [String]) -> (files: [String], problems: [String]) {
        var out: [String] = [], problems: [String] = []
        for p in paths {
            if p == "-" { out.append(p); continue }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                // `render` and `play` take a built-in lesson's name; `check` takes paths.
                let hint = builtin.contains { $0.name == p } ? " (\(p) is a built-in lesson: `clustertutor check` with no path checks them all)" : ""
                problems.append("\(p): \(problem(at: p) ?? "no such file or folder")\(hint)"); continue
            }
            if isDir.boolValue {
                guard let items = try? FileManager.default.contentsOfDirectory(atPath: p) else {
                    problems.append("\(p): the folder cannot be listed (\(problem(at: p) ?? "permission denied"))"); continue
                }
                let lessons = items.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
                if lessons.isEmpty { problems.append("\(p): a folder with no lessons in it (*.md files other than README.md)") }
                out += lessons.map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return (out, problems)
    }
}

import ArgumentParser

/// A mistake in a command's arguments found only after reading the lesson (a step it does not
/// have): reported like argument-parser's own, with the usage of the command it belongs to
/// rather than of `clustertutor` as a whole.
func usageError<C: ParsableCommand>(_ command: C.Type, _ message: String) -> ExitCode {
    let name = C.configuration.commandName ?? String(describing: C.self).lowercased()
    FileHandle.standardError.write("Error: \(message)\nUsage: clustertutor \(C.usageString())\n  See 'clustertutor \(name) --help' for more information.\n".data(using: .utf8)!)
    return ExitCode(64)
}
