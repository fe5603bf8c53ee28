"""What a run writes: the JSON and Markdown reports, Allure results and HTML, the merge across platforms."""
