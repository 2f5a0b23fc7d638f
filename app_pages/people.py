"""Placeholder: being built."""

import streamlit as st

st.title("people")
st.info("This page is being built.")
