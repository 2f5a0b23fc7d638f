"""Placeholder: being built."""

import streamlit as st

st.title("settings_page")
st.info("This page is being built.")
