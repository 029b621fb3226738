"""The simulation of a campaign: station operations, phases, burns, the planner and results."""
