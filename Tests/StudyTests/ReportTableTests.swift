import Foundation
import Study
import Testing

@Test(arguments: [
    ("plain", "plain"),
    ("a,b", "\"a,b\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""),
    ("cr\r\nlf", "\"cr\r\nlf\""),
    ("", ""),
])
func csvFieldQuoting(field: String, expected: String) {
    #expect(csvField(field) == expected)
}

@Test func csvTableQuotesTextCells() {
    let table = ReportTable(
        title: "t",
        columns: [.init(header: "Name", csvName: "name", isNumeric: false), .init(header: "Value", csvName: "value")],
        rows: [[.text("a, \"b\""), .number(0.1, decimals: 1)], [.unavailable("x, y"), .missing]])
    #expect(table.csv() == "name,value\r\n\"a, \"\"b\"\"\",0.1\r\n\"unavailable: x, y\",\r\n")
}

@Test func latexEscapesSpecialCharacters() {
    #expect(escapeLaTeX("a_b & 50% $x #1 {y}") == "a\\_b \\& 50\\% \\$x \\#1 \\{y\\}")
    #expect(escapeLaTeX("~^\\") == "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}")
    #expect(escapeLaTeX("<a>") == "\\textless{}a\\textgreater{}")
}

@Test func markdownEscapesPipes() {
    let table = ReportTable(
        title: "t", columns: [.init(header: "A|B", csvName: "a", isNumeric: false)], rows: [[.text("x|y")]])
    #expect(table.markdown() == "| A\\|B |\n| --- |\n| x\\|y |\n")
}

@Test func unavailableReasonsNumberedOnce() {
    let table = ReportTable(
        title: "t", columns: [.init(header: "A", csvName: "a"), .init(header: "B", csvName: "b")],
        rows: [[.unavailable("r1"), .unavailable("r2")], [.unavailable("r1"), .number(1, decimals: 0)]])
    #expect(table.unavailableReasons == ["r1", "r2"])
    let markdown = table.markdown()
    #expect(markdown.contains("| unavailable [1] | unavailable [2] |"))
    #expect(markdown.contains("| unavailable [1] | 1 |"))
}
