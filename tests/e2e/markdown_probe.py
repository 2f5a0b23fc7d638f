"""A Streamlit script for tests/e2e/test_markup.py: every payload of tests/test_text_safety.py escaped with
markdown_text and shown the ways the app shows imported text (markdown, caption, alert, heading, labels,
st.table cells and headers), each line tagged so the test can compare what the browser shows."""

import streamlit as st

from graphapp.export.text_safety import markdown_link, markdown_text
from tests.test_text_safety import PAYLOADS

md = markdown_text
for n, payload in enumerate(PAYLOADS):
    st.markdown(f"MD{n}: **{md(payload)}** end")
    st.caption(f"CAP{n}: {md(payload)}")
st.info(" · ".join(md(p) for p in PAYLOADS))
st.subheader(md(PAYLOADS[0]))
with st.expander("EXP " + md(PAYLOADS[0]) + " " + md(PAYLOADS[3])):
    st.write("inside")
st.button("BTN " + md(PAYLOADS[1]))
st.checkbox("CHK " + md(PAYLOADS[5]))
st.selectbox("SEL " + md(PAYLOADS[2]), ["a"])
st.table([{md(PAYLOADS[0]): md(p), md(PAYLOADS[3]): md(p)} for p in PAYLOADS])
st.markdown(markdown_link("LinkedIn profile", "https://www.linkedin.com/in/ada-lovell) [Verify](https://evil.example"))
st.markdown(markdown_link("LinkedIn profile", "https://www.linkedin.com/in/bram)[v](https:"))
st.markdown("PROBE DONE")
