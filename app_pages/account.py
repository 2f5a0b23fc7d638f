"""Placeholder: being built."""

import streamlit as st

st.title("account")
st.info("This page is being built.")
