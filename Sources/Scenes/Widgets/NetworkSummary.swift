import Canvas
import Simulation

/// The network's faults in words: which groups are cut off, which links are one-way, lossy or
/// slow. A picture of cuts would be ambiguous in a ring; a sentence is not.
public enum NetworkSummary {
    public static func lines(_ n: Network, size: Int, glyphs g: GlyphSet) -> [String] {
        var out: [String] = []
        // Groups: nodes that can talk both ways, directly or through others.
        var group = Array(0..<size)
        func find(_ a: Int) -> Int { var a = a; while group[a] != a { a = group[a] }; return a }
        for a in 0..<size {
            for b in a + 1..<size where !n.isCut(Link(a, b)) && !n.isCut(Link(b, a)) {
                let ra = find(a), rb = find(b)
                if ra != rb { group[max(ra, rb)] = min(ra, rb) }
            }
        }
        var groups: [Int: [NodeID]] = [:]
        for a in 0..<size { groups[find(a), default: []].append(a) }
        let sorted = groups.keys.sorted().map { groups[$0]! }
        if sorted.count > 1 {
            out.append("partitioned: " + sorted.map { $0.map(nodeName).joined(separator: " ") }.joined(separator: " | "))
        }
        var oneWay: [String] = []
        for l in n.sortedCuts where !n.isCut(Link(l.to, l.from)) {
            oneWay.append("\(nodeName(l.from))\(g.arrow)\(nodeName(l.to))")
        }
        if !oneWay.isEmpty { out.append("one-way cut: " + oneWay.joined(separator: " ")) }
        for (l, f) in n.sortedFaults {
            var parts: [String] = []
            if f.lossPPM > 0 { parts.append("drop \(percent(f.lossPPM))") }
            if f.duplicatePPM > 0 { parts.append("dup \(percent(f.duplicatePPM))") }
            if f.extraDelay > 0 { parts.append("+\(Duration.format(f.extraDelay))") }
            out.append("\(nodeName(l.from))\(g.arrow)\(nodeName(l.to)) " + parts.joined(separator: " "))
        }
        return out
    }

    static func percent(_ ppm: Int) -> String {
        ppm % 10_000 == 0 ? "\(ppm / 10_000)%" : "\(Double(ppm) / 10_000)%"
    }
}
