"""The site's accessibility statement, in the form the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018 ask for (GOV.UK's model statement)."""

from home.models import ContentPage

from .board_texts import clean
from .sync import sync_page

PREPARED_ON = "25 November 2026"
CONTACT_EMAIL = "democratic.services@example.gov.uk"
CONTACT_PHONE = "01632 960101"

STATEMENT = f"""
<p>This accessibility statement applies to the Rotherham partnership boards website, which
publishes the agendas, papers and meeting dates of the council's partnership boards, committees
and scrutiny commission. The website is run by Rotherham Metropolitan Borough Council.</p>
<p>We want as many people as possible to be able to use this website. For example, that means you
should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole website using just a keyboard</li>
<li>navigate most of the website using speech recognition software</li>
<li>listen to most of the website using a screen reader (including the most recent versions of
JAWS, NVDA and VoiceOver)</li>
<li>use the website with JavaScript turned off</li>
</ul>
<p>We have also made the website text as simple as possible to understand.</p>
<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making your device
easier to use if you have a disability.</p>
<h2>How accessible this website is</h2>
<p>We know some parts of this website are not fully accessible:</p>
<ul>
<li>some agenda papers, particularly older ones and those written by partner organisations, are
Word or PDF documents that are not fully accessible to screen reader software</li>
<li>some papers contain large tables of figures that are hard to read on a small screen</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need an agenda or paper in a different format, such as accessible PDF, large print, easy
read, audio recording or braille:</p>
<ul>
<li>email Democratic Services at <a href="mailto:{CONTACT_EMAIL}">{CONTACT_EMAIL}</a></li>
<li>call {CONTACT_PHONE}, Monday to Friday, 9am to 5pm</li>
</ul>
<p>We will consider your request and get back to you within 5 working days. If you need a paper
for a particular meeting, tell us which meeting and we will do our best to send it to you before
the meeting.</p>
<h2>Reporting accessibility problems with this website</h2>
<p>We are always looking to improve the accessibility of this website. If you find any problems
not listed on this page, or think we are not meeting accessibility requirements, email
<a href="mailto:{CONTACT_EMAIL}">{CONTACT_EMAIL}</a> or call {CONTACT_PHONE}. Please tell us the
web address of the page, what the problem was and, if you use one, which assistive technology
you were using.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector
Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the
"accessibility regulations"). If you are not happy with how we respond to your complaint,
<a href="https://www.equalityadvisoryservice.com/">contact the Equality Advisory and Support
Service (EASS)</a>.</p>
<h2>Coming to a meeting</h2>
<p>Board meetings are open to the public, except while exempt business is discussed. If you would
like to attend and need an adjustment, such as step-free access, a hearing loop or a British Sign
Language interpreter, contact Democratic Services at least 5 working days before the meeting so
that we can arrange it.</p>
<h2>Technical information about this website's accessibility</h2>
<p>Rotherham Metropolitan Borough Council is committed to making its website accessible, in
accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the
<a href="https://www.w3.org/TR/WCAG22/">Web Content Accessibility Guidelines version 2.2</a> AA
standard, due to the non-compliances listed below.</p>
<h2>Non-accessible content</h2>
<p>The content listed below is non-accessible for the following reasons.</p>
<h3>Non-compliance with the accessibility regulations</h3>
<ul>
<li>Some papers published as Word documents contain tables whose header rows are not marked up,
so screen readers cannot announce the column headings. This fails WCAG 2.2 success criterion 1.3.1
(Info and Relationships). We mark up header rows when a paper is revised, and we check new papers
before they are published.</li>
<li>Some papers contain charts and diagrams without a text alternative. This fails WCAG 2.2
success criterion 1.1.1 (Non-text Content). We ask report authors to describe every chart in the
text of their report.</li>
</ul>
<h3>Content that is not within the scope of the accessibility regulations</h3>
<p><strong>PDFs and other documents</strong></p>
<p>The accessibility regulations do not require us to fix PDFs or other documents published before
23 September 2018 if they are not essential to providing our services. The Health and Wellbeing
Board's papers from 2016 and 2017 are kept as a public record and we do not plan to fix them. Any
new PDFs or Word documents we publish will meet accessibility standards.</p>
<p><strong>Pre-recorded audio and video</strong></p>
<p>Recordings of meetings published before 23 September 2020 are exempt. Recordings we publish
from that date will have captions or a transcript.</p>
<h2>What we are doing to improve accessibility</h2>
<p>Every change to this website is tested automatically against WCAG 2.2 AA with the axe
accessibility engine, and we check that every page can be used with a keyboard alone and with
JavaScript turned off. We build the pages with the GOV.UK Design System's accessible components.
We are working with our partner organisations so that the papers they send us are accessible.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on {PREPARED_ON}. It was last reviewed on {PREPARED_ON}.</p>
<p>This website was last tested on {PREPARED_ON} against the WCAG 2.2 AA standard. The test was
carried out by Rotherham Metropolitan Borough Council. We tested the home page, every board page and
a sample of meeting pages, using automated testing with axe in a browser and manual testing with a
keyboard.</p>
"""


def sync_accessibility_statement(home, summary):
    """The "Accessibility statement" page under the home page (slug "accessibility")."""
    page, _ = sync_page(
        home,
        ContentPage,
        "accessibility",
        {"title": "Accessibility statement", "body": clean(STATEMENT)},
        summary,
        "content page",
    )
    return page
