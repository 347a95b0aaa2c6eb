"""The classroom demo: a live web page (Solara, made for a projector) and a one-page slide figure.

``leadsim demo [SCENARIO]`` starts the page; :mod:`leadsim.demo.app` is the Solara app,
:mod:`leadsim.demo.classroom` the model behind it, :mod:`leadsim.demo.layout` and
:mod:`leadsim.demo.svg` its live pictures, :mod:`leadsim.demo.slide` the figure
``leadsim run --report`` writes, and :mod:`leadsim.demo.text` every word they show.
"""
