"""graphapp in the browser: ``streamlit run streamlit_app.py`` (or ``graphapp serve``)."""

import streamlit as st

from app_pages import common

st.set_page_config(page_title="graphapp", page_icon=":material/hub:", layout="wide")

pages = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True, url_path="home"),
]
navigation = st.navigation(pages)
common.sidebar()
navigation.run()
