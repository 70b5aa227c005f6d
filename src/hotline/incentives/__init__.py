"""激励积分 (the 激励风车 of a 95598 center): points for QA scores, customer satisfaction,
attendance, the case library and a lead's grants, read from the event log, and each
month's leaderboard per team (班组) with its awards."""
