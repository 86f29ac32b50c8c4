from soleus.cli.main import main

main()
