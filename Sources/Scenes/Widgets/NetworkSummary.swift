import Canvas
import Simulation

/// The network's faults in words: which groups are cut off, which links are one-way, lossy or
/// slow. A picture of cuts would be ambiguous in a ring; a sentence is not.
public enum NetworkSummary {
    public static func lines(_ n: Network, size: Int, glyphs g: GlyphSet) -> [String] {
        var out: [String] = []
        // Nodes cut off (both ways) from the same set of nodes form one side of a partition.
        // Nodes cut off from nobody are left out: they still reach everyone, like a bridge.
        var sides: [[NodeID]: [NodeID]] = [:]
        for a in 0..<size {
            let cutFrom = (0..<size).filter { $0 != a && n.isCut(Link(a, $0)) && n.isCut(Link($0, a)) }
            if !cutFrom.isEmpty { sides[cutFrom, default: []].append(a) }
        }
        let groups = sides.values.sorted { $0[0] < $1[0] }
        if groups.count > 1 {
            out.append("partitioned: " + groups.map { $0.map(nodeName).joined(separator: " ") }.joined(separator: " | "))
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
            if let l = f.latency { parts.append("latency \(l)") }
            out.append("\(nodeName(l.from))\(g.arrow)\(nodeName(l.to)) " + parts.joined(separator: " "))
        }
        return out
    }

    static func percent(_ ppm: Int) -> String {
        ppm % 10_000 == 0 ? "\(ppm / 10_000)%" : "\(Double(ppm) / 10_000)%"
    }
}
