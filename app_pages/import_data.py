"""Placeholder: being built."""

import streamlit as st

st.title("import_data")
st.info("This page is being built.")
