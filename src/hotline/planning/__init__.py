"""排班 (workforce planning), the feature: history, special days, week plans, publishing,
swaps, my schedule and adherence, over the formulas of `hotline.wfm`."""
