import Plot

/// A bar chart drawn on the server as SVG (no JavaScript), with its figures in a table beside
/// it for screen readers and for anyone who prefers numbers. Small cells are drawn as empty and
/// shown as "< 5" in the table.
struct BarChart: Component {
    struct Series {
        let name: String
        /// `chart-1` … `chart-4`: calm colours that differ in lightness as well as hue.
        let style: String
        let values: [Int]
    }

    let id: String
    /// Said instead of a chart whose every figure is zero or too small to show.
    var emptyText = ""
    let title: String
    let description: String
    let categories: [String]
    let series: [Series]
    var stacked = true
    var categoryHeading = ""
    /// Longer names for the table (the chart's axis has room for short ones only).
    var tableCategories: [String]? = nil

    private static let width = 640
    private static let height = 240
    private static let left = 44
    private static let bottom = 52
    private static let top = 12

    var body: Component {
        let plotWidth = Self.width - Self.left - 8
        let plotHeight = Self.height - Self.bottom - Self.top
        let shown = series.map { s in s.values.map { SmallCells.isSmall($0) ? 0 : $0 } }
        let peak = max(
            1,
            stacked
                ? (0..<categories.count).map { i in shown.reduce(0) { $0 + ($1.indices.contains(i) ? $1[i] : 0) } }.max() ?? 1
                : shown.flatMap { $0 }.max() ?? 1)
        let peakShown = shown.flatMap { $0 }.max() ?? 0
        let slot = Double(plotWidth) / Double(max(1, categories.count))
        let barWidth = stacked ? slot * 0.6 : slot * 0.7 / Double(max(1, series.count))
        return El("figure", ["class": "chart", "id": id, "aria-label": title]) {
            if peakShown == 0 {
                El("p", ["class": "muted chart-empty"]) { T(emptyText) }
            } else {
                // On a phone the chart keeps a readable size and scrolls sideways.
                El("div", ["class": "chart-scroll", "tabindex": "0", "role": "region", "aria-label": title]) {
                    El(
                        "svg",
                        [
                            "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(Self.width) \(Self.height)", "role": "img",
                            "aria-labelledby": "\(id)-title \(id)-desc", "class": "chart-svg",
                        ]
                    ) {
                        El("title", ["id": "\(id)-title"]) { T(title) }
                        El("desc", ["id": "\(id)-desc"]) { T(description) }
                        // The axis: zero and the peak.
                        // SVG shapes are closed elements (`<rect></rect>`): inside <svg> an HTML void tag
                        // would swallow what follows.
                        El(
                            "line",
                            [
                                "x1": "\(Self.left)", "y1": "\(Self.top + plotHeight)", "x2": "\(Self.width - 8)", "y2": "\(Self.top + plotHeight)",
                                "class": "chart-axis",
                            ]
                        ) {}
                        El("text", ["x": "\(Self.left - 6)", "y": "\(Self.top + plotHeight)", "text-anchor": "end", "class": "chart-label"]) {
                            T("0")
                        }
                        El("text", ["x": "\(Self.left - 6)", "y": "\(Self.top + 10)", "text-anchor": "end", "class": "chart-label"]) {
                            T(String(peak))
                        }
                        for bar in bars(slot: slot, barWidth: barWidth, shown: shown, plotHeight: plotHeight, peak: peak) {
                            El(
                                "rect",
                                [
                                    "x": Self.f(bar.x), "y": Self.f(bar.y), "width": Self.f(barWidth), "height": Self.f(bar.height),
                                    "class": "chart-bar \(bar.style)",
                                ]
                            ) {}
                        }
                        for (i, category) in categories.enumerated() {
                            El(
                                "text",
                                [
                                    "x": Self.f(Double(Self.left) + slot * (Double(i) + 0.5)), "y": "\(Self.top + plotHeight + 16)",
                                    "text-anchor": "middle",
                                    "class": "chart-label",
                                ]
                            ) {
                                T(category)
                            }
                        }
                        // The legend, under the axis labels.
                        for (s, one) in series.enumerated() {
                            let x = Self.left + s * 150
                            El("rect", ["x": "\(x)", "y": "\(Self.height - 18)", "width": "12", "height": "12", "class": "chart-bar \(one.style)"]) {}
                            El("text", ["x": "\(x + 18)", "y": "\(Self.height - 8)", "class": "chart-label"]) { T(one.name) }
                        }
                    }
                }
            }
            // A focusable scroll box, so a wide table scrolls on a phone with the keyboard too.
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": title]) {
                El("table", ["class": "chart-table", "id": "\(id)-table"]) {
                    El("caption", ["class": "visually-hidden"]) { T(title) }
                    El("thead") {
                        El("tr") {
                            El("th", ["scope": "col"]) { T(categoryHeading) }
                            for one in series { El("th", ["scope": "col"]) { T(one.name) } }
                        }
                    }
                    El("tbody") {
                        for (i, category) in (tableCategories ?? categories).enumerated() {
                            El("tr") {
                                El("th", ["scope": "row"]) { T(category) }
                                for one in series { El("td") { T(SmallCells.shown(one.values.indices.contains(i) ? one.values[i] : 0)) } }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Where each bar goes: stacked from the axis up, or side by side.
    private func bars(slot: Double, barWidth: Double, shown: [[Int]], plotHeight: Int, peak: Int) -> [(
        x: Double, y: Double, height: Double, style: String
    )] {
        var result = [(x: Double, y: Double, height: Double, style: String)]()
        for i in categories.indices {
            let x0 = Double(Self.left) + slot * Double(i) + (slot - (stacked ? barWidth : barWidth * Double(series.count))) / 2
            var base = 0.0
            for (s, one) in series.enumerated() {
                let value = shown[s].indices.contains(i) ? shown[s][i] : 0
                let height = Double(plotHeight) * Double(value) / Double(peak)
                let x = stacked ? x0 : x0 + barWidth * Double(s)
                if height > 0 { result.append((x, Double(Self.top + plotHeight) - base - height, height, one.style)) }
                if stacked { base += height }
            }
        }
        return result
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
