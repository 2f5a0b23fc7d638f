"""Placeholder: being built."""

import streamlit as st

st.title("organizations")
st.info("This page is being built.")
