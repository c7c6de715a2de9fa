from nsss_analysis.cli import run

run()
