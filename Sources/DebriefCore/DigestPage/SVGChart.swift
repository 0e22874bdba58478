/// Small inline SVG charts for the digest page.
///
/// The page must work offline, in any mail or chat in-app browser, without JavaScript and without
/// fetching anything, so charts are plain SVG text written here. Each chart is an image with a
/// `<title>` and `<desc>` for screen readers, prints the numbers it shows as `<text>` (a bar without
/// its number is easy to misread), and scales to the width of a phone through its `viewBox`.
///
/// Charts only draw values the digest already shows; they never receive anything finer (a bucket is
/// drawn at its midpoint but labelled with the bucket, never with the midpoint).
enum SVGChart {
    /// One column of a column chart.
    struct Column: Equatable {
        /// Under the column, for example `W47`.
        var label: String
        /// Height in any unit; only proportions matter. Zero or less draws no bar (a week not shown).
        var value: Double
        /// Over the column, for example `10–19`.
        var valueLabel: String
        /// Drawn in the accent colour (the current week).
        var highlighted: Bool = false
    }

    /// One row of a horizontal bar chart of shares.
    struct Row: Equatable {
        var label: String
        /// 0…1 of the full width.
        var share: Double
        /// After the bar, for example `42%`.
        var valueLabel: String
    }

    /// One point of a line with an uncertainty band; `value == nil` leaves a gap (a suppressed week).
    struct IntervalPoint: Equatable {
        var label: String
        var value: Double?
        var low: Double?
        var high: Double?
        /// Over the point, for example `+12`; shown even when `value` is nil (for example `hidden`).
        var valueLabel: String
    }

    static let width = 320.0
    static let fontSize = 13.0

    // MARK: - Column chart

    /// Vertical columns with their label underneath and value label on top.
    static func columns(id: String, title: String, description: String, columns: [Column]) -> String {
        let top = 22.0
        let bottom = 22.0
        let side = 8.0
        let height = 170.0
        let plotHeight = height - top - bottom
        let maximum = max(columns.map(\.value).max() ?? 0, 1)
        let slot = (width - 2 * side) / Double(max(columns.count, 1))
        let barWidth = min(slot * 0.62, 56)
        var body = ""
        for (index, column) in columns.enumerated() {
            let centre = side + slot * (Double(index) + 0.5)
            guard column.value > 0 else {
                // A week that was not shown: no bar, only its label, so nothing suggests a small number.
                body += text(column.valueLabel, x: centre, y: top + plotHeight - 6, anchor: "middle", className: "note")
                body += text(column.label, x: centre, y: height - 6, anchor: "middle", className: "axis")
                continue
            }
            let barHeight = max(plotHeight * column.value / maximum, 2)
            let y = top + plotHeight - barHeight
            body +=
                "<rect class=\"\(column.highlighted ? "bar now" : "bar")\" x=\"\(n(centre - barWidth / 2))\""
                + " y=\"\(n(y))\" width=\"\(n(barWidth))\" height=\"\(n(barHeight))\" rx=\"2\"/>"
            body += text(column.valueLabel, x: centre, y: y - 6, anchor: "middle", className: "value")
            body += text(column.label, x: centre, y: height - 6, anchor: "middle", className: "axis")
        }
        body +=
            "<line class=\"base\" x1=\"\(n(side))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(width - side))\""
            + " y2=\"\(n(top + plotHeight))\"/>"
        return svg(id: id, title: title, description: description, height: height, body: body)
    }

    // MARK: - Horizontal bars

    /// One bar per row, scaled to 100% of the width, with the row's label on the left and value on the right.
    static func bars(id: String, title: String, description: String, rows: [Row]) -> String {
        let rowHeight = 28.0
        let labelWidth = 124.0
        let valueWidth = 44.0
        let padding = 6.0
        let height = Double(rows.count) * rowHeight + 2 * padding
        let barSpace = width - labelWidth - valueWidth
        var body = ""
        for (index, row) in rows.enumerated() {
            let y = padding + Double(index) * rowHeight
            let middle = y + rowHeight / 2
            let share = min(max(row.share, 0), 1)
            let barWidth = share > 0 ? max(barSpace * share, 2) : 0
            body += text(row.label, x: 4, y: middle + fontSize * 0.35, anchor: "start", className: "axis")
            body +=
                "<rect class=\"track\" x=\"\(n(labelWidth))\" y=\"\(n(y + 6))\" width=\"\(n(barSpace))\""
                + " height=\"\(n(rowHeight - 12))\" rx=\"2\"/>"
            if barWidth > 0 {
                body +=
                    "<rect class=\"bar\" x=\"\(n(labelWidth))\" y=\"\(n(y + 6))\" width=\"\(n(barWidth))\""
                    + " height=\"\(n(rowHeight - 12))\" rx=\"2\"/>"
            }
            body += text(row.valueLabel, x: width - 4, y: middle + fontSize * 0.35, anchor: "end", className: "value")
        }
        return svg(id: id, title: title, description: description, height: height, body: body)
    }

    // MARK: - Line with an interval band

    /// A line through the points' values over a shaded band from `low` to `high`, with a dashed zero line.
    static func intervalLine(
        id: String, title: String, description: String, points: [IntervalPoint], zeroLabel: String
    ) -> String {
        let top = 24.0
        let bottom = 22.0
        let left = 12.0
        let right = 12.0
        let height = 190.0
        let plotHeight = height - top - bottom
        let known = points.flatMap { [$0.value, $0.low, $0.high].compactMap { $0 } }
        var lowest = min(known.min() ?? 0, 0)
        var highest = max(known.max() ?? 0, 0)
        if highest - lowest < 10 {
            let middle = (highest + lowest) / 2
            lowest = min(lowest, middle - 5)
            highest = max(highest, middle + 5)
        }
        let span = highest - lowest
        func y(_ value: Double) -> Double { top + plotHeight * (highest - value) / span }
        let slot = (width - left - right) / Double(max(points.count, 1))
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }

        var body = ""
        // The band, drawn per run of consecutive weeks that have an interval.
        for run in runs(points.indices.filter { points[$0].low != nil && points[$0].high != nil }) {
            let upper = run.compactMap { index in points[index].high.map { "\(n(x(index))),\(n(y($0)))" } }
            let lower = run.reversed().compactMap { index in points[index].low.map { "\(n(x(index))),\(n(y($0)))" } }
            if run.count == 1, let index = run.first, let low = points[index].low, let high = points[index].high {
                body +=
                    "<rect class=\"band\" x=\"\(n(x(index) - 6))\" y=\"\(n(y(high)))\" width=\"12\""
                    + " height=\"\(n(max(y(low) - y(high), 1)))\"/>"
            } else {
                body += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\"/>"
            }
        }
        body +=
            "<line class=\"zero\" x1=\"\(n(left))\" y1=\"\(n(y(0)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(0)))\"/>"
        body += text(zeroLabel, x: width - right, y: y(0) - 4, anchor: "end", className: "note")
        for run in runs(points.indices.filter { points[$0].value != nil }) where run.count > 1 {
            let coordinates = run.compactMap { index in points[index].value.map { "\(n(x(index))),\(n(y($0)))" } }
            body += "<polyline class=\"line\" points=\"\(coordinates.joined(separator: " "))\"/>"
        }
        for (index, point) in points.enumerated() {
            if let value = point.value {
                body += "<circle class=\"dot\" cx=\"\(n(x(index)))\" cy=\"\(n(y(value)))\" r=\"3.5\"/>"
                let labelY = max(y(point.high ?? value) - 6, fontSize)
                body += text(point.valueLabel, x: x(index), y: labelY, anchor: "middle", className: "value")
            } else {
                body += text(point.valueLabel, x: x(index), y: y(0) + fontSize + 4, anchor: "middle", className: "note")
            }
            body += text(point.label, x: x(index), y: height - 6, anchor: "middle", className: "axis")
        }
        return svg(id: id, title: title, description: description, height: height, body: body)
    }

    // MARK: - Helpers

    /// No `xmlns`: inline SVG in HTML5 needs none, and the page then contains no URL at all.
    private static func svg(id: String, title: String, description: String, height: Double, body: String) -> String {
        let titleID = HTMLText.escape(id + "-title")
        let descriptionID = HTMLText.escape(id + "-desc")
        return
            "<svg class=\"chart\" id=\"\(HTMLText.escape(id))\" role=\"img\" viewBox=\"0 0 \(n(width)) \(n(height))\""
            + " width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" aria-labelledby=\"\(titleID) \(descriptionID)\""
            + ">"
            + "<title id=\"\(titleID)\">\(HTMLText.escape(title))</title>"
            + "<desc id=\"\(descriptionID)\">\(HTMLText.escape(description))</desc>"
            + body + "</svg>"
    }

    private static func text(_ content: String, x: Double, y: Double, anchor: String, className: String) -> String {
        "<text class=\"\(className)\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\">"
            + HTMLText.escape(content) + "</text>"
    }

    private static func n(_ value: Double) -> String { HTMLText.number(value) }

    /// Splits ascending indices into runs of consecutive values.
    private static func runs(_ indices: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        for index in indices {
            if let last = result.last?.last, last + 1 == index {
                result[result.count - 1].append(index)
            } else {
                result.append([index])
            }
        }
        return result
    }
}
