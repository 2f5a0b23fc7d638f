"""Placeholder: being built."""

import streamlit as st

st.title("targets")
st.info("This page is being built.")
