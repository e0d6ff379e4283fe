"""Terms of reference of the demo boards, paraphrased from the Rotherham Safeguarding Partnership
Protocol (PACK:1321-1474), the Safer Rotherham Partnership Plan 2016-19 and DOMAIN.md."""

HWB = """
<p>The Health and Wellbeing Board is a statutory committee of the council, set up under section 194
of the Health and Social Care Act 2012. It sets the vision, objectives and outcomes for the health
and wellbeing of Rotherham people, and influences and oversees the commissioning plans that deliver
them.</p>
<h3>What the board does</h3>
<ul>
<li>Assesses the needs of Rotherham's population and publishes the Joint Strategic Needs
Assessment (JSNA).</li>
<li>Uses the JSNA to agree and publish the Health and Wellbeing Strategy, which sets local
priorities for joint action.</li>
<li>Makes sure the strategy shapes commissioning decisions for the health and wellbeing of
Rotherham people.</li>
<li>Encourages and supports the organisations that arrange health and social care to work in an
integrated way.</li>
<li>Holds partners to account for the quality and effectiveness of their commissioning plans.</li>
<li>Checks that public health functions are carried out in a way that helps every partner reduce
health inequalities.</li>
</ul>
<h3>Working with other boards</h3>
<p>Under the Rotherham Safeguarding Partnership Protocol, the independent chairs of the two
safeguarding boards present their annual reports to the board between September and November each
year, with a statement on the current year. The board shares its strategy with the safeguarding
boards so that they can challenge it. The chair and vice-chair of the Health Select Commission
attend as observers.</p>
"""

RSAB = """
<p>The Safeguarding Adults Board is the statutory partnership, required by section 43 of the Care
Act 2014, through which the council, the NHS, the police and other partners agree how they will work
together to protect adults at risk of abuse or neglect and to promote their wellbeing. It has an
independent chair.</p>
<p>Its duties apply where there is reasonable cause to suspect that an adult has needs for care and
support, is experiencing or is at risk of abuse or neglect, and because of those needs cannot
protect themselves.</p>
<h3>What the board does</h3>
<ul>
<li>Leads adult safeguarding across Rotherham and oversees how well partners' safeguarding work is
coordinated and how effective it is.</li>
<li>Assures itself that safeguarding practice puts the person first, focuses on outcomes and keeps
improving.</li>
<li>Works with partners to prevent abuse and neglect where it can, and to make sure that responses
are timely and proportionate when they happen.</li>
<li>Looks at wider issues that affect adults' safety: safety in health settings including mental
health services, self-neglect, the quality of care and support services, safeguarding in prisons,
and the links between adult safeguarding and domestic abuse.</li>
<li>Arranges safeguarding adults reviews and publishes an annual report.</li>
</ul>
<h3>Reporting</h3>
<p>Between September and November the independent chair presents the annual report for the
previous financial year to the Health and Wellbeing Board and to the Safer Rotherham Partnership
Board, with a position statement on the current year. By law the report also goes to the council's
chief executive and leader, the Police and Crime Commissioner, Healthwatch and the chair of the
Health and Wellbeing Board.</p>
"""

SRP = """
<p>The Safer Rotherham Partnership is the borough's community safety partnership, with statutory
duties under the Crime and Disorder Act 1998. Its responsible authorities (the council, South
Yorkshire Police, South Yorkshire Fire and Rescue, the probation service and the NHS) have a legal
duty to work together to tackle crime, disorder, substance misuse and anti-social behaviour and to
reduce re-offending.</p>
<h3>What the partnership does</h3>
<ul>
<li>Produces each year a joint strategic intelligence assessment (JSIA) of crime and disorder in
Rotherham.</li>
<li>Agrees and delivers the Partnership Plan to tackle crime, anti-social behaviour and drug and
alcohol misuse.</li>
<li>Works to help people feel safe in their neighbourhoods.</li>
<li>Carries out domestic homicide reviews and makes sure their lessons are learned.</li>
<li>Oversees the partnership's funding and receives a report on performance against its priorities
at every meeting.</li>
</ul>
<h3>Reporting</h3>
<p>The board is accountable to the Rotherham Together Partnership. Each quarter its performance
report goes to the council's Overview and Scrutiny Management Board. Between September and November
it receives the annual reports of the Safeguarding Adults Board and the Safeguarding Children
Partnership.</p>
"""

MHPB = """
<p>The Mental Health Partnership Board oversees delivery of the Adult Social Care Mental Health
Strategy 2026-2029, which created it. It was launched in 2026 after a working group. Its governance
follows the Learning Disability and Autism Partnership Board: it is co-chaired by people with lived
experience.</p>
<h3>What the board does</h3>
<ul>
<li>Oversees the strategy's delivery action plan and its objectives and performance indicators.</li>
<li>Makes sure people with lived experience, carers and families shape how mental health support is
planned and reviewed.</li>
<li>Follows the strategy's priorities: the mental health enablement offer, access and waiting times,
support for carers and families, crisis pathways and the workforce.</li>
</ul>
<h3>Reporting</h3>
<p>The board reports to the Health and Wellbeing Board and gives periodic updates to the Health
Select Commission, including a mid-point update in mid-to-late 2027.</p>
"""

CYPPB = """
<p>The Children and Young People's Partnership Board brings together partners from across
children and young people's services. It drives improvement in services and outcomes for children,
young people and families, and Rotherham's ambition to be a child-centred borough.</p>
<h3>What the board does</h3>
<ul>
<li>Works with children and families to set the direction of children's services, improve joint
working between agencies and shape the Children and Young People's Plan.</li>
<li>Consults children, young people and families and responds to their needs.</li>
<li>Monitors progress against the plan's shared priorities and targets, and challenges
under-performance.</li>
<li>Aligns or pools budgets so that services can be commissioned jointly.</li>
<li>Works with the Health and Wellbeing Board on the strategy's aims for children and young people,
and reports its progress to that board.</li>
</ul>
<p>Each year it receives the annual report of the Safeguarding Children Partnership.</p>
"""

SCP = """
<p>The Safeguarding Children Partnership replaced the Rotherham Local Safeguarding Children Board
(LSCB). Under the Children Act 2004, as amended by the Children and Social Work Act 2017, the
safeguarding partners (the council, the NHS and South Yorkshire Police) make joint arrangements to
safeguard and promote the welfare of children in Rotherham. The partnership neither commissions nor
provides services.</p>
<h3>What the partnership does</h3>
<ul>
<li>Coordinates what partners do to safeguard and promote the welfare of children, and checks that
it works.</li>
<li>Agrees multi-agency safeguarding policies and procedures.</li>
<li>Helps the public and professionals understand how to keep children safe.</li>
<li>Monitors and evaluates how well partners safeguard children, separately and together, and
advises them how to improve.</li>
<li>Arranges local child safeguarding practice reviews and shares the lessons learned.</li>
</ul>
<h3>Reporting</h3>
<p>Between September and November its annual report goes to the Children and Young People's
Partnership Board, the Health and Wellbeing Board and the Safer Rotherham Partnership Board.</p>
"""

HSC = """
<p>The Health Select Commission is the council's scrutiny body for health, public health and adult
social care. Its members are councillors who do not sit on the Cabinet. It can ask the council and
NHS bodies to attend and answer questions, and it makes recommendations to them.</p>
<h3>What the commission does</h3>
<ul>
<li>Scrutinises the planning, provision and operation of health services in Rotherham, including
proposals for substantial changes to services.</li>
<li>Reviews adult social care and public health policy and performance.</li>
<li>Follows up its recommendations and the commitments made to it, such as progress on the Adult
Social Care Mental Health Strategy 2026-2029.</li>
</ul>
<p>Its chair and vice-chair attend the Health and Wellbeing Board as observers.</p>
"""


def clean(html):
    """Rich text is stored on one line per block, as the Draftail editor saves it."""
    blocks = []
    for line in html.strip().splitlines():
        if line.startswith("<") and not line.startswith(("<strong", "<em", "<a ")):
            blocks.append(line)
        else:
            blocks[-1] += " " + line
    return "".join(blocks)
