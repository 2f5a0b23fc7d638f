"""graphapp in the browser: ``streamlit run streamlit_app.py`` (or ``graphapp serve``)."""

import streamlit as st

from app_pages import common

# An emoji icon is drawn in the page itself; a ":material/…:" one is fetched from fonts.gstatic.com on every load.
st.set_page_config(page_title="graphapp", page_icon="🔗", layout="wide")
viewer = common.sign_in()  # before any page: the login prompt, "not authorised", or who is looking

pages = [
    st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True, url_path="home"),
    st.Page("app_pages/targets.py", title="Target accounts", icon=":material/target:", url_path="targets"),
    st.Page("app_pages/account.py", title="Account", icon=":material/route:", url_path="account"),
    st.Page("app_pages/weekly.py", title="Weekly list", icon=":material/event_repeat:", url_path="weekly"),
    st.Page("app_pages/people.py", title="People", icon=":material/person_search:", url_path="people"),
    st.Page("app_pages/organizations.py", title="Organisations", icon=":material/domain:", url_path="organizations"),
    st.Page("app_pages/import_data.py", title="Import", icon=":material/upload_file:", url_path="import"),
    st.Page("app_pages/settings_page.py", title="Settings", icon=":material/tune:", url_path="settings"),
]
if viewer.role == "admin":
    pages.append(st.Page("app_pages/audit.py", title="Audit log", icon=":material/policy:", url_path="audit"))
navigation = st.navigation(pages)  # the sidebar holds no internals: where the data lives is on the Audit log
navigation.run()
