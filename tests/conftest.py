"""Shared pytest setup: headless plotting and fast settings for every test."""

import os

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no windows, no display needed
os.environ["AUTOENCODERS_FAST"] = "1"  # package code may shrink data/epochs when set
# explorers keep computed results on disk: not in tests (each test computes what it checks), except in
# the test of that cache, which switches it on with a cache folder of its own
os.environ["AUTOENCODERS_EXPLORER_CACHE"] = "off"
