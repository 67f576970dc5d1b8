import Canvas
import Simulation

/// The network's faults in words: which groups are cut off, which links are one-way, lossy or
/// slow. A picture of cuts would be ambiguous in a ring; a sentence is not.
public enum NetworkSummary {
    public static func lines(_ n: Network, size: Int, glyphs g: GlyphSet) -> [String] {
        lines(n, topology: .numbered(size), glyphs: g)
    }

    public static func lines(_ n: Network, topology: Topology, glyphs g: GlyphSet) -> [String] {
        let size = topology.count
        let nodeName = topology.name
        var out: [String] = []
        // Linear in the nodes: the network keeps a partition group per node, so the sides are
        // read off directly. Two-way cuts between groups make sides; an isolated node is a side
        // of its own, and then everyone else is a side too. Nodes in group 0 reach everyone, like
        // a bridge, and are left out unless someone is isolated.
        let twoWay = n.sortedGroupCuts.filter { n.groupCuts.contains(Link($0.to, $0.from)) }
        let cutGroups = Set(twoWay.map(\.from))
        let anyIsolated = n.isolated.contains(true)
        var sides: [Int: [NodeID]] = [:]   // key: group, or -1 - node for an isolated node
        for a in 0..<size {
            if a < n.isolated.count, n.isolated[a] { sides[-1 - a] = [a]; continue }
            let g = a < n.group.count ? n.group[a] : 0
            if cutGroups.contains(g) { sides[g, default: []].append(a) }
            else if anyIsolated { sides[0, default: []].append(a) }
        }
        let groups = sides.values.sorted { $0[0] < $1[0] }
        if groups.count > 1 {
            out.append("partitioned: " + groups.map { names($0, topology) }.joined(separator: " | "))
        }
        var oneWay: [String] = []
        for l in n.sortedGroupCuts where !n.groupCuts.contains(Link(l.to, l.from)) {
            let from = (0..<size).filter { $0 < n.group.count && n.group[$0] == l.from }
            let to = (0..<size).filter { $0 < n.group.count && n.group[$0] == l.to }
            oneWay.append("\(names(from, topology)) \(g.arrow) \(names(to, topology))")
        }
        for l in n.sortedCuts {
            oneWay.append("\(nodeName(l.from))\(g.arrow)\(nodeName(l.to))")
        }
        if !oneWay.isEmpty { out.append("one-way cut: " + oneWay.joined(separator: ", ")) }
        for (l, f) in n.sortedFaults {
            var parts: [String] = []
            if f.lossPPM > 0 { parts.append("drop \(percent(f.lossPPM))") }
            if f.duplicatePPM > 0 { parts.append("dup \(percent(f.duplicatePPM))") }
            if f.extraDelay > 0 { parts.append("+\(SimDuration.format(f.extraDelay))") }
            if let l = f.latency { parts.append("latency \(l)") }
            out.append("\(nodeName(l.from))\(g.arrow)\(nodeName(l.to)) " + parts.joined(separator: " "))
        }
        return out
    }

    /// Node names, with long runs of consecutive numbered nodes shortened to a range (n1..n500).
    static func names(_ ids: [NodeID], _ topology: Topology) -> String {
        guard topology.numbered else { return ids.map(topology.name).joined(separator: " ") }
        var parts: [String] = []
        var k = 0
        while k < ids.count {
            var j = k
            while j + 1 < ids.count, ids[j + 1] == ids[j] + 1 { j += 1 }
            if j - k >= 3 { parts.append("\(nodeName(ids[k]))..\(nodeName(ids[j]))") }
            else { parts += ids[k...j].map(nodeName) }
            k = j + 1
        }
        return parts.joined(separator: " ")
    }

    static func percent(_ ppm: Int) -> String {
        ppm % 10_000 == 0 ? "\(ppm / 10_000)%" : "\(Double(ppm) / 10_000)%"
    }
}
