import Foundation

/// Writes a finished site into a new folder beside the target, then swaps it in, so a failed or
/// interrupted build never leaves a half-written site.
public enum SiteWriter {
    /// A problem writing the output.
    public struct WriteError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// Writes `files` as the whole content of `output`.
    public static func write(_ files: [OutputFile], to output: URL) throws {
        let fm = FileManager.default
        let target = output.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let name = target.lastPathComponent
        let token = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(name).new-\(token)")
        let retired = parent.appendingPathComponent(".\(name).old-\(token)")

        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            var made = Set<String>()
            for file in files {
                let components = try safeComponents(file.path)
                var folder = staging
                for component in components.dropLast() {
                    folder.appendPathComponent(component)
                    if made.insert(folder.path).inserted {
                        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                    }
                }
                try file.data.write(to: folder.appendingPathComponent(components.last!))
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }

        // Swap: the old site leaves, the new one arrives, then the old one is removed.
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                try? fm.removeItem(at: staging)
                throw WriteError(message: "\(target.path) exists and is not a folder")
            }
            try fm.moveItem(at: target, to: retired)
            do {
                try fm.moveItem(at: staging, to: target)
            } catch {
                try? fm.moveItem(at: retired, to: target)
                try? fm.removeItem(at: staging)
                throw error
            }
            try? fm.removeItem(at: retired)
        } else {
            try fm.moveItem(at: staging, to: target)
        }
    }

    /// A relative path's components; refuses anything that could leave the output folder.
    static func safeComponents(_ path: String) throws -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard path.hasPrefix("/") == false, components.isEmpty == false,
            components.allSatisfy({ $0.isEmpty == false && $0 != "." && $0 != ".." && !$0.contains("\0") && !$0.contains("\\") })
        else {
            throw WriteError(message: "refusing to write '\(path)': it is not a plain path inside the output folder")
        }
        return components
    }
}
