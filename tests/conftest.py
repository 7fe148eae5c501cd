"""Shared pytest setup: headless plotting and fast settings for every test."""

import os

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no windows, no display needed
os.environ["AUTOENCODERS_FAST"] = "1"  # package code may shrink data/epochs when set
