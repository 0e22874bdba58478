/// The digest page's inline style sheet.
///
/// Inline because the page is fetched once from a signed link and must render the same offline, in
/// an in-app browser, or saved to a file by `debrief demo`: no asset requests, no fonts, no scripts.
/// One column at every width, system fonts, readable at phone size, and a dark variant.
enum DigestPageStyle {
    static let css = """
        :root{color-scheme:light dark;--fg:#1d2430;--muted:#5a6472;--bg:#fbfbfd;--card:#ffffff;--line:#dfe3ea;\
        --accent:#2f5d9e;--accent-soft:#8fb0db;--track:#edf0f5;--band:rgba(47,93,158,.18)}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a3acb9;--bg:#14171c;--card:#1b1f26;\
        --line:#323844;--accent:#8fb4ea;--accent-soft:#4f6f9c;--track:#262b34;--band:rgba(143,180,234,.22)}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",\
        Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%}
        main{max-width:42rem;margin:0 auto;padding:1rem}
        header.page h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .25rem}
        .meta{color:var(--muted);margin:0 0 1rem}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;margin:0 0 1rem}
        h2{font-size:1.15rem;margin:0 0 .5rem}
        h3{font-size:1rem;margin:1rem 0 .25rem}
        p{margin:.4rem 0}
        .lead{font-size:1.05rem}
        .held{color:var(--muted);font-style:italic}
        .quiet{font-size:1.1rem}
        table{width:100%;border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
        caption{text-align:left;color:var(--muted);font-size:.85rem;padding-bottom:.25rem}
        th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
        td.num,th.num{text-align:right}
        td.num{white-space:nowrap}
        .wide{overflow-x:auto;-webkit-overflow-scrolling:touch}
        .wide table{font-size:.85rem}
        .wide th,.wide td{padding:.3rem .25rem}
        td small{color:var(--muted);white-space:nowrap}
        ul.shares{list-style:none;padding:0;margin:.5rem 0}
        ul.shares li{display:flex;justify-content:space-between;border-bottom:1px solid var(--line);padding:.2rem 0}
        blockquote{margin:.75rem 0;padding:.25rem 0 .25rem .75rem;border-left:3px solid var(--accent-soft)}
        blockquote p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
        blockquote footer{color:var(--muted);font-size:.9rem}
        svg.chart{display:block;width:100%;height:auto;margin:.5rem 0}
        svg.chart text{font-size:13px;fill:var(--fg)}
        svg.chart text.axis{fill:var(--muted)}
        svg.chart text.value{font-weight:600}
        svg.chart text.note{fill:var(--muted);font-style:italic}
        svg.chart .bar{fill:var(--accent-soft)}
        svg.chart .bar.now{fill:var(--accent)}
        svg.chart .track{fill:var(--track)}
        svg.chart .band{fill:var(--band)}
        svg.chart .line{fill:none;stroke:var(--accent);stroke-width:2}
        svg.chart .dot{fill:var(--accent)}
        svg.chart .zero,svg.chart .base{stroke:var(--muted);stroke-width:1}
        svg.chart .zero{stroke-dasharray:4 3}
        footer.page{color:var(--muted);font-size:.85rem;padding:0 .25rem 2rem}
        footer.page p{margin:.3rem 0}
        """
}
